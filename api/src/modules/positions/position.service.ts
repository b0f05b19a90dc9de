import type Decimal from 'decimal.js';
import type { Sql } from '../../db/sql';
import { D } from '../../shared/decimal';
import { TradingMode } from '../../shared/enums';

// Reads of the per-strategy ledger. Its only writer is the fill path (order-updates.service.ts), which
// applies position-ledger.ts under the position's row lock.
export class PositionService {
  async current(sql: Sql, strategyId: string, symbol: string, mode: TradingMode): Promise<Decimal> {
    const rows = await sql.query<{ qty: string }>('select qty from positions where strategy_id = ? and symbol = ? and mode = ?', [strategyId, symbol, mode]);
    return new D(rows[0]?.qty ?? 0);
  }
}
