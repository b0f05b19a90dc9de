import type { Sql } from '../../db/sql';
import { type ChangeFeed, Freshness } from '../../cluster/change-feed';
import { RecentMap } from '../../shared/recent-map';

const MAX_ENTRIES = 10_000;

type Entry = { at: number; stamp: number; open: boolean };

// Through the partial index of open plans (exit_plans_open_index)
const ANY_OPEN = `select exists (select 1 from exit_plans where strategy_id = ? and status in ('ACTIVE', 'TRIGGERED')) as open`;

// Whether a strategy may have an open exit plan (ACTIVE or TRIGGERED), from memory (issue 13). Most strategies have
// none, and every priced alert (the price is judged against the plans, before the 202) and every fill (the plans
// follow the position) read exit_plans to find that out. A plan opens only through a write to exit_plans: this
// process's own writes tell the cache at once, any other writer's reach it through the change feed (a trigger on
// exit_plans -> NOTIFY '<strategy id>'). Like the strategy cache, an answer is served up to shortMs whatever the
// feed does, and up to longMs while the feed is healthy; an answer read while a change came in is not kept.
export class OpenPlans {
  private readonly entries = new RecentMap<string, Entry>(MAX_ENTRIES);
  private readonly freshness: Freshness;
  private readonly reading = new Map<string, { stamp: number; answer: Promise<boolean> }>();

  constructor(
    private readonly sql: Sql,
    changes?: ChangeFeed,
    shortMs = 1000,
    longMs = 60_000,
  ) {
    this.freshness = new Freshness(changes, shortMs, longMs);
    changes?.on('exit_plans', (strategyId) => this.changed(strategyId));
    changes?.onMissed(() => this.freshness.bump());
  }

  async mayHaveOpen(strategyId: string): Promise<boolean> {
    const hit = this.entries.get(strategyId);
    if (hit && this.freshness.fresh(hit.stamp, hit.at)) return hit.open;
    const stamp = this.freshness.stamp();
    // A burst misses together (its first alerts, or each time an answer ages out): one read serves them all,
    // unless a change came in since it was sent
    const flight = this.reading.get(strategyId);
    if (flight?.stamp === stamp) return flight.answer;
    const answer = this.read(strategyId, stamp);
    this.reading.set(strategyId, { stamp, answer });
    try {
      return await answer;
    } finally {
      if (this.reading.get(strategyId)?.answer === answer) this.reading.delete(strategyId);
    }
  }

  private async read(strategyId: string, stamp: number): Promise<boolean> {
    const at = Date.now();
    const [row] = await this.sql.query<{ open: boolean }>(ANY_OPEN, [strategyId]);
    const open = Boolean(row?.open);
    this.entries.set(strategyId, { at, stamp, open });
    return open;
  }

  // A plan of the strategy was written (opened, armed again or ended): its answer is read again
  changed(strategyId: string): void {
    this.freshness.bump();
    this.entries.delete(strategyId);
  }
}
