import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { logger } from '../../shared/logger';
import type { ReportScope } from './report-scope';
import { CURVE_POINTS_PER_TRIP_MAX, PrefixGroups, prefixGroupsStatement, WalkRow, walkStatement, WalkState } from './report.sql';

// A large report is mostly trips that closed long ago. Their figures (day and symbol groups, the walk's state:
// equity, peak, drawdown, losing runs) are computed once per scope, in the background after a report that was
// large, and kept in the process; later reports of that scope read only the trips closed since (an admin's report
// over 500,000 trips then reads an hour or two of them). Kept figures stay right while the sequence
// report_trip_changes stands still: it moves when a trip closing over 30 minutes ago is written, or trips are
// updated or deleted (migration Migration20261201184500), and the prefix ends an hour or more before it is built.
// One read of the sequence per report, on the database every process shares, so several processes stay right.

export type Prefix = { groups: PrefixGroups; walk: WalkState };
type Entry = { prefix: Prefix; version: string; builtAt: number };

export type PrefixOptions = {
  minTrips: number; // smaller reports are fast without: nothing kept (at least CURVE_POINTS_PER_TRIP_MAX + 1)
  maxEntries: number;
  refreshAfterMs: number; // a report that uses an older prefix rebuilds it in the background (a later boundary)
  maxAgeMs: number; // never used beyond this age
  lagMs: number; // the prefix ends this long before the hour it is built in
  now: () => number;
};

const DEFAULTS: PrefixOptions = {
  minTrips: 20_000, maxEntries: 64, refreshAfterMs: 5 * 60_000, maxAgeMs: 15 * 60_000, lagMs: 60 * 60_000, now: Date.now,
};
const HOUR = 3_600_000;

const scopeKey = (s: ReportScope) => JSON.stringify([s.userId, s.strategyId, s.symbol, s.mode, s.start?.getTime(), s.end?.getTime()]);

export class ReportPrefixCache {
  private readonly options: PrefixOptions;
  private readonly entries = new Map<string, Entry>(); // in order of use: the first is the least recently used
  private readonly building = new Set<string>();
  private closed = false;

  constructor(options: Partial<PrefixOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    // a report with a prefix has a point per day in its curve, as every report past CURVE_POINTS_PER_TRIP_MAX trips
    this.options.minTrips = Math.max(this.options.minTrips, CURVE_POINTS_PER_TRIP_MAX + 1);
  }

  // The scope's prefix if it is still right, else null
  async get(em: EntityManager, scope: ReportScope): Promise<Prefix | null> {
    const key = scopeKey(scope);
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (this.options.now() - entry.builtAt > this.options.maxAgeMs || entry.version !== (await this.version(em))) return null;
    this.entries.set(key, entry);
    return entry.prefix;
  }

  // After a report of `trades` trips: build (or renew) the scope's prefix in the background when worth it
  warm(em: EntityManager, scope: ReportScope, trades: number): void {
    const key = scopeKey(scope);
    const entry = this.entries.get(key);
    if (this.closed || trades < this.options.minTrips || this.building.has(key)) return;
    if (entry && this.options.now() - entry.builtAt < this.options.refreshAfterMs) return;
    this.building.add(key);
    this.build(em.fork(), scope)
      .then((built) => { if (built && !this.closed) this.store(key, built); })
      .catch((error: unknown) => logger.warn('report prefix not built', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.building.delete(key));
  }

  close(): void {
    this.closed = true;
    this.entries.clear();
  }

  // Resolves once no build is running (tests)
  async idle(): Promise<void> {
    while (this.building.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async build(em: EntityManager, scope: ReportScope): Promise<Entry | null> {
    const builtAt = this.options.now();
    // read before the trips: a change after this read shows as another version at the next use
    const version = await this.version(em);
    const before = new Date(Math.floor(builtAt / HOUR) * HOUR - this.options.lagMs);
    const groupsSql = prefixGroupsStatement(scope, before);
    const walkSql = walkStatement(scope, { before });
    const [[groups], [walk]] = await Promise.all([
      query<{ days: string; symbols: string }>(em, groupsSql.text, groupsSql.params),
      query<WalkRow>(em.fork(), walkSql.text, walkSql.params),
    ]);
    if (walk.trades < this.options.minTrips) return null;
    return {
      version, builtAt,
      prefix: {
        groups: { before, days: groups.days, symbols: groups.symbols },
        walk: {
          trades: walk.trades, equity: walk.equity, peak: walk.peak, maxDrawdown: walk.max_drawdown, run: walk.losing_run,
          longest: walk.longest_losing_streak,
        },
      },
    };
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private async version(em: EntityManager): Promise<string> {
    const [row] = await query<{ version: string }>(em, 'select (last_value * 2 + is_called::int)::text as version from report_trip_changes');
    return row.version;
  }
}
