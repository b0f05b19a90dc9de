import type Decimal from 'decimal.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { emSql, type Sql } from '../../db/sql';
import { D, money } from '../../shared/decimal';
import { Role, TradingMode } from '../../shared/enums';
import type { User } from '../users/user.entity';
import { latestMarks, markKey } from './mark-prices.sql';
import { unrealizedPnl } from './position-ledger';
import { Position } from './position.entity';

// Reads of the per-strategy ledger. Its only writer is the fill path (order-updates.service.ts), which
// applies position-ledger.ts under the position's row lock.
export class PositionService {
  async current(sql: Sql, strategyId: string, symbol: string, mode: TradingMode): Promise<Decimal> {
    const rows = await sql.query<{ qty: string }>(
      'select qty from positions where strategy_id = ? and symbol = ? and mode = ?',
      [strategyId, symbol, mode],
    );
    return new D(rows[0]?.qty ?? 0);
  }

  // Yours (admins: everyone's), open ones marked at the latest known price
  async list(em: EntityManager, user: User, mode?: TradingMode): Promise<Position[]> {
    const scope = user.role === Role.ADMIN ? {} : { strategy: { user: user.id } };
    const positions = await em.find(
      Position,
      { ...scope, ...(mode && { mode }) },
      { orderBy: { updatedAt: 'desc' }, populate: ['strategy'] },
    );
    await this.mark(em, positions);
    return positions;
  }

  async mark(em: EntityManager, positions: Position[]): Promise<void> {
    const open = positions.filter((p) => !new D(p.qty).isZero());
    const marks = await latestMarks(
      emSql(em),
      open.map((p) => ({
        strategyId: p.strategy.id,
        userId: p.strategy.user.id,
        symbol: p.symbol,
        exchangeSegment: p.strategy.exchangeSegment,
      })),
    );
    for (const p of open) {
      const mark = marks.get(markKey({ strategyId: p.strategy.id, symbol: p.symbol }));
      p.markPrice = mark?.price ?? p.lastPrice;
      p.markedAt = mark?.at ?? (p.lastPrice ? p.updatedAt : undefined);
    }
  }
}

// Unrealized P&L at the mark (the stored figure is at the last fill); flat positions have none
export function markedUnrealizedPnl(p: Position): string {
  if (!p.markPrice) return p.unrealizedPnl;
  return money(unrealizedPnl(new D(p.qty), new D(p.avgPrice), new D(p.markPrice)));
}
