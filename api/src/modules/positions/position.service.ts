import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type Decimal from 'decimal.js';
import type { Sql } from '../../db/sql';
import { D, money } from '../../shared/decimal';
import { TradingMode } from '../../shared/enums';
import { Strategy } from '../strategies/strategy.entity';
import { Position } from './position.entity';
import { applyFillToLedger, unrealizedPnl } from './position-ledger';

export type FillForLedger = { side: 'BUY' | 'SELL'; qty: Decimal; price: Decimal; charges: Decimal };

// The per-strategy ledger. Rows are locked FOR UPDATE inside the caller's transaction so concurrent fills
// of one strategy and symbol apply one after another.
export class PositionService {
  async lockOrCreate(em: EntityManager, strategy: Strategy, symbol: string, mode: TradingMode): Promise<Position> {
    await em.getConnection().execute(
      `insert into positions (id, created_at, updated_at, strategy_id, symbol, mode, qty, avg_price, realized_pnl, unrealized_pnl, charges)
       values (gen_random_uuid(), now(), now(), ?, ?, ?, 0, 0, 0, 0, 0) on conflict (strategy_id, symbol, mode) do nothing`,
      [strategy.id, symbol, mode], 'run', em.getTransactionContext(),
    );
    return em.findOneOrFail(Position, { strategy, symbol, mode }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  async current(sql: Sql, strategyId: string, symbol: string, mode: TradingMode): Promise<Decimal> {
    const rows = await sql.query<{ qty: string }>('select qty from positions where strategy_id = ? and symbol = ? and mode = ?', [strategyId, symbol, mode]);
    return new D(rows[0]?.qty ?? 0);
  }

  // Returns the realized P&L (net of charges) this fill produced.
  apply(position: Position, fill: FillForLedger): Decimal {
    const result = applyFillToLedger(
      { qty: new D(position.qty), avgPrice: new D(position.avgPrice), realizedPnl: new D(position.realizedPnl) }, fill,
    );
    position.qty = money(result.qty);
    position.avgPrice = money(result.avgPrice);
    position.realizedPnl = money(result.realizedPnl);
    position.charges = money(new D(position.charges).plus(fill.charges));
    position.lastPrice = money(fill.price);
    position.unrealizedPnl = money(unrealizedPnl(result.qty, result.avgPrice, fill.price));
    return result.realizedDelta;
  }
}
