import type { Sql } from '../../db/sql';
import { D } from '../../shared/decimal';

export type Mark = { price: string; at: Date };
export type MarkKey = { strategyId: string; userId: string; symbol: string; exchangeSegment: string };

// The newest price each strategy saw for the symbol: a fill's price, or a MARKET alert's own price (TradingView's
// {{close}}; a refused alert is a market observation too). A LIMIT or stop alert's price is the trader's level, not
// the market's, and prices the platform made up are left out: a close or square-off EXIT carries the position's
// last price, not a new one. One index probe per position on (strategy_id, created_at).
const NEWEST_PRICE_SQL = `
select k.strategy_id, k.symbol, m.price, m.at
from jsonb_to_recordset(?::jsonb) as k(strategy_id uuid, symbol text)
cross join lateral (
  select coalesce(e.avg_fill_price, e.price) as price, e.created_at as at
  from executions e
  where e.strategy_id = k.strategy_id and e.symbol = k.symbol
    and (e.avg_fill_price is not null or (e.price is not null and e.order_type = 'MARKET' and e.source in ('alert', 'test_alert')))
  order by e.created_at desc
  limit 1
) m`;

const keyOf = (k: Pick<MarkKey, 'strategyId' | 'symbol'>) => `${k.strategyId}|${k.symbol}`;
const marketOf = (k: MarkKey) => `${k.userId}|${k.exchangeSegment}|${k.symbol}`;

// The latest known price per (strategy, symbol): the newest one seen by any of the same user's strategies on the
// same instrument, so a position is marked by the freshest price its owner's alerts brought in. Another user's
// alerts never mark it (a made-up price in one account must not move another's P&L). Pass the request's own
// connection (emSql), not the order path's pool.
export async function latestMarks(sql: Sql, keys: MarkKey[]): Promise<Map<string, Mark>> {
  const marks = new Map<string, Mark>();
  if (keys.length === 0) return marks;
  const input = JSON.stringify(keys.map((k) => ({ strategy_id: k.strategyId, symbol: k.symbol })));
  const rows = await sql.query<{ strategy_id: string; symbol: string; price: string; at: Date }>(NEWEST_PRICE_SQL, [
    input,
  ]);
  const own = new Map(
    rows.map((r) => [
      keyOf({ strategyId: r.strategy_id, symbol: r.symbol }),
      { price: new D(r.price).toFixed(), at: new Date(r.at) },
    ]),
  );
  const newestByMarket = new Map<string, Mark>();
  for (const k of keys) {
    const mark = own.get(keyOf(k));
    const best = newestByMarket.get(marketOf(k));
    if (mark && (!best || mark.at > best.at)) newestByMarket.set(marketOf(k), mark);
  }
  for (const k of keys) {
    const mark = newestByMarket.get(marketOf(k));
    if (mark) marks.set(keyOf(k), mark);
  }
  return marks;
}

export const markKey = keyOf;
