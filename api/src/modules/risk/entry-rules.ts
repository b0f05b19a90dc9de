import type { Sql } from '../../db/sql';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import type { AlertSignal } from '../alerts/alert-signal';
import { cooldown } from './cooldown.rule';
import { maxTradesPerDay } from './max-trades.rule';
import { isEntry, Refusal } from './refusal';
import { staleSignal } from './stale-signal.rule';

// The door rules of issue 18 for entries: signal age, the cooldown after a loss, the trades per day (cheapest first)
export async function refuseEntry(
  strategy: StrategySnapshot,
  signal: AlertSignal,
  deps: { sql: Sql; now: () => Date },
): Promise<Refusal | null> {
  if (!isEntry(signal)) return null;
  const now = deps.now();
  return (
    staleSignal(strategy, signal.firedAt, now) ??
    (await cooldown(deps.sql, strategy, now)) ??
    (await maxTradesPerDay(deps.sql, strategy, now))
  );
}
