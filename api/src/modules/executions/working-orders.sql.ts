import type { Sql } from '../../db/sql';

// The signed quantity still to fill of a position's MARKET orders that are working at the broker (placed, not
// fully filled), other than `excludeId`. A live fill arrives after placeOrder returns (postback, stream, poll):
// without this, an alert right behind an entry is planned as if the entry had not happened (an EXIT finds no
// position, a second entry passes the maximum open position). Resting LIMIT and stop orders are left out: they
// may never fill, and an EXIT must not trade against them. The side of an order is the one it was sent with
// (an EXIT's is only in the request, written before a live order is sent).
const WORKING_MARKET_QTY_SQL = `
select coalesce(sum((e.qty - e.filled_qty) * case when coalesce(e.broker_request->>'side', e.side) = 'SELL' then -1 else 1 end), 0)::text as qty
from executions e
where e.strategy_id = ? and e.symbol = ? and e.mode = ? and e.id <> ? and e.order_type = 'MARKET' and e.status in ('PLACED', 'PARTIALLY_FILLED')`;

export async function workingMarketQty(sql: Sql, p: { strategyId: string; symbol: string; mode: string; excludeId: string }): Promise<string> {
  const [row] = await sql.query<{ qty: string }>(WORKING_MARKET_QTY_SQL, [p.strategyId, p.symbol, p.mode, p.excludeId]);
  return row.qty;
}
