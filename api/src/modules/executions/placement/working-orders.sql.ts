import type { Sql } from '../../../db/sql';

// A broker's position as the next order of a strategy must see it: the filled position plus what its MARKET
// orders still working at the broker (placed, not fully filled; `excludeId` aside) will add, read in ONE
// statement so a fill landing meanwhile is counted once (in the position or in the order, never in both or
// neither). A live fill arrives after placeOrder returns (postback, stream, poll): without the working orders, an
// alert right behind an entry is planned as if the entry had not happened (an EXIT finds no position, a second
// entry passes the maximum open position). Resting LIMIT and stop orders are left out: they may never fill, and an
// EXIT must not trade against them. An order's side is the one it was sent with (an EXIT's is only in the
// request, written before a live order is sent).
const EXPECTED_POSITION_SQL = `
select (coalesce((select p.qty from positions p where p.strategy_id = ? and p.symbol = ? and p.mode = ?), 0)
  + coalesce((select sum((e.qty - e.filled_qty) * case when coalesce(e.broker_request->>'side', e.side) = 'SELL' then -1 else 1 end)
              from executions e
              where e.strategy_id = ? and e.symbol = ? and e.mode = ? and e.id <> ? and e.order_type = 'MARKET'
                and e.status in ('PLACED', 'PARTIALLY_FILLED')), 0))::text as qty`;

export async function positionWithWorkingOrders(
  sql: Sql,
  p: { strategyId: string; symbol: string; mode: string; excludeId: string },
): Promise<string> {
  const [row] = await sql.query<{ qty: string }>(EXPECTED_POSITION_SQL, [
    p.strategyId,
    p.symbol,
    p.mode,
    p.strategyId,
    p.symbol,
    p.mode,
    p.excludeId,
  ]);
  return row.qty;
}
