import type { Sql } from '../../db/sql';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { refuse, Refusal } from './refusal';

// freqtrade's CooldownPeriod after a loss: no new entry for cooldownMinutes after a round trip of this strategy
// (in its current mode) closed with a net loss. Read from round_trips_strategy_index (strategy, closed_at).
export async function cooldown(
  sql: Sql,
  strategy: Pick<StrategySnapshot, 'id' | 'mode' | 'cooldownMinutes'>,
  now: Date,
): Promise<Refusal | null> {
  if (!strategy.cooldownMinutes) return null;
  const since = new Date(now.getTime() - strategy.cooldownMinutes * 60_000);
  const [loss] = await sql.query<{ closed_at: Date; net_pnl: string }>(
    `select closed_at, net_pnl from round_trips where strategy_id = ? and closed_at > ? and mode = ? and net_pnl < 0
     order by closed_at desc limit 1`,
    [strategy.id, since, strategy.mode],
  );
  if (!loss) return null;
  const until = new Date(new Date(loss.closed_at).getTime() + strategy.cooldownMinutes * 60_000);
  return refuse(
    'cooldown',
    `a round trip closed at a loss of ${loss.net_pnl} INR; no entries for ${strategy.cooldownMinutes} min, until ${until.toISOString()}`,
  );
}
