import type { Sql } from '../../db/sql';
import { istDayRange, istParts } from '../../shared/ist';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { refuse, Refusal } from './refusal';

// A trade is a round trip: those opened since IST midnight, closed or still open, count against maxTradesPerDay.
// Alerts accepted but not yet filled are not counted (a burst of entries can pass together).
export async function maxTradesPerDay(
  sql: Sql,
  strategy: Pick<StrategySnapshot, 'id' | 'mode' | 'maxTradesPerDay'>,
  now: Date,
): Promise<Refusal | null> {
  if (!strategy.maxTradesPerDay) return null;
  const { start } = istDayRange(istParts(now).date);
  const [row] = await sql.query<{ trades: string }>(
    `select (select count(*) from round_trips where strategy_id = ? and mode = ? and closed_at >= ? and opened_at >= ?)
          + (select count(*) from positions where strategy_id = ? and mode = ? and qty <> 0 and (open_trip->>'openedAt')::timestamptz >= ?) as trades`,
    [strategy.id, strategy.mode, start, start, strategy.id, strategy.mode, start],
  );
  const trades = Number(row?.trades ?? 0);
  if (trades < strategy.maxTradesPerDay) return null;
  return refuse(
    'max_trades_per_day',
    `${trades} trade${trades === 1 ? '' : 's'} opened today (IST), the strategy's maximum of ${strategy.maxTradesPerDay}`,
  );
}
