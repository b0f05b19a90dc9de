import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { logger } from '../../shared/logger';
import type { ReportScope } from './report-scope';
import {
  CURVE_POINTS_PER_TRIP_MAX,
  PrefixGroups,
  prefixGroupsStatement,
  WalkRow,
  walkStatement,
  WalkState,
} from './report.sql';

// A large report is mostly trips that closed long ago. Their figures (day and symbol groups, the walk's state:
// equity, peak, drawdown, losing runs) are computed once per scope and kept in report_prefixes, which every api
// process reads and a restart keeps; later reports of that scope read only the trips closed since (an admin's report
// over 500,000 trips then reads an hour or two of them). They are built in the background after a large report, and
// ahead of any report by the keeper (report-prefix-keeper.ts: shortly after start, then on a timer), so the first
// report after a start is already fast. Kept figures stay right while the sequence report_trip_changes stands still:
// it moves when a trip closing over 30 minutes ago is written, or trips are updated or deleted (migration
// Migration20261201184500), and a prefix ends an hour or more before it is built. One small read per report: the
// row and the sequence together.

export type Prefix = { groups: PrefixGroups; walk: WalkState; builtAt: number };

export type PrefixOptions = {
  enabled: boolean; // false: every report reads every trip (tests compare against it)
  minTrips: number; // smaller reports are fast without: nothing kept (at least CURVE_POINTS_PER_TRIP_MAX + 1)
  refreshAfterMs: number; // a report that uses an older prefix rebuilds it in the background (a later split)
  maxAgeMs: number; // never used beyond this age (the trips after its split are read by every report)
  retentionMs: number; // a scope no report read for this long is forgotten
  lagMs: number; // the prefix ends this long before the hour it is built in
  now: () => number;
};

const DEFAULTS: PrefixOptions = {
  enabled: true,
  minTrips: 20_000,
  refreshAfterMs: 5 * 60_000,
  // the keeper renews every kept scope at least hourly; without it a prefix still serves for a few hours
  maxAgeMs: 6 * 3_600_000,
  retentionMs: 7 * 86_400_000,
  lagMs: 60 * 60_000,
  now: Date.now,
};
const HOUR = 3_600_000;
export const PREFIX_VERSION = `(select (last_value * 2 + is_called::int)::text from report_trip_changes)`;
// A report marks its scope as read at most this often (a write per report would be a write per page load)
const TOUCH_EVERY = `interval '10 minutes'`;

type PrefixRow = {
  valid: boolean;
  built_at: Date | string;
  split_at: Date | string;
  days: string;
  symbols: string;
  walk: WalkState;
};

export const scopeKey = (s: ReportScope) =>
  JSON.stringify([
    s.userId,
    s.strategyId,
    s.symbol,
    s.mode,
    s.start?.getTime(),
    s.end?.getTime(),
    ...(s.accountId ? [s.accountId] : []),
  ]);

// The scope a kept row was built for, from its key: everything a prefix's statements read of a scope (the keeper
// renews scopes by their rows; from, to and today only shape a report's calendar, never a prefix)
export function scopeFromKey(key: string): ReportScope {
  const [userId, strategyId, symbol, mode, start, end, accountId] = JSON.parse(key) as [
    string | null,
    string | null,
    string | null,
    ReportScope['mode'],
    number | null,
    number | null,
    string | undefined,
  ];
  return {
    userId,
    strategyId,
    symbol,
    mode,
    start: start === null ? null : new Date(start),
    end: end === null ? null : new Date(end),
    accountId: accountId ?? null,
    from: null,
    to: null,
    today: '',
  };
}

export class ReportPrefixCache {
  private readonly options: PrefixOptions;
  private readonly building = new Map<string, Promise<void>>();
  private closed = false;

  constructor(options: Partial<PrefixOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    // a report with a prefix has a point per day in its curve, as every report past CURVE_POINTS_PER_TRIP_MAX trips
    this.options.minTrips = Math.max(this.options.minTrips, CURVE_POINTS_PER_TRIP_MAX + 1);
  }

  get minTrips(): number {
    return this.options.minTrips;
  }

  // The scope's prefix if it is still right, else null; marks the scope as read (the keeper renews what is read)
  async get(em: EntityManager, scope: ReportScope): Promise<Prefix | null> {
    if (!this.options.enabled) return null;
    const key = scopeKey(scope);
    const [row] = await query<PrefixRow>(
      em,
      `with touched as (update report_prefixes set used_at = now() where scope_key = ? and used_at < now() - ${TOUCH_EVERY})
      select p.version = ${PREFIX_VERSION} as valid, p.built_at, p.split_at, p.days, p.symbols, p.walk from report_prefixes p where p.scope_key = ?`,
      [key, key],
    );
    const builtAt = new Date(row?.built_at).getTime();
    if (!row?.valid || this.options.now() - builtAt > this.options.maxAgeMs) return null;
    return {
      groups: { before: new Date(row.split_at), days: row.days, symbols: row.symbols },
      walk: row.walk,
      builtAt,
    };
  }

  // After a report of `trades` trips (that used `used`, if any): build or renew the scope's prefix in the background
  // when worth it
  warm(em: EntityManager, scope: ReportScope, trades: number, used: Prefix | null): void {
    if (!this.options.enabled || this.closed || trades < this.options.minTrips || this.building.has(scopeKey(scope)))
      return;
    if (used && this.options.now() - used.builtAt < this.options.refreshAfterMs) return;
    void this.renew(em, scope);
  }

  // Builds (or rebuilds) the scope's prefix now; one build per scope at a time in this process, and never throws
  // (a failed build only leaves reports on the full pass)
  renew(em: EntityManager, scope: ReportScope): Promise<void> {
    const key = scopeKey(scope);
    const running = this.building.get(key);
    if (running) return running;
    if (!this.options.enabled || this.closed) return Promise.resolve();
    const build = this.build(em.fork(), scope, key)
      .catch((error: unknown) => {
        logger.warn('report prefix not built', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => this.building.delete(key));
    this.building.set(key, build);
    return build;
  }

  // The build of this scope running in this process, if any: a report that finds no prefix waits for it rather
  // than making a second full pass beside it
  running(scope: ReportScope): Promise<void> | undefined {
    return this.building.get(scopeKey(scope));
  }

  close(): void {
    this.closed = true;
  }

  // Resolves once no build is running (shutdown, tests)
  async idle(): Promise<void> {
    while (this.building.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async build(em: EntityManager, scope: ReportScope, key: string): Promise<void> {
    const builtAt = this.options.now();
    // read before the trips: a change after this read shows as another version at the next use
    const [{ version }] = await query<{ version: string }>(em, `select ${PREFIX_VERSION} as version`);
    const before = new Date(Math.floor(builtAt / HOUR) * HOUR - this.options.lagMs);
    const groupsSql = prefixGroupsStatement(scope, before);
    const walkSql = walkStatement(scope, { before });
    const [[groups], [walk]] = await Promise.all([
      query<{ days: string; symbols: string }>(em, groupsSql.text, groupsSql.params),
      query<WalkRow>(em.fork(), walkSql.text, walkSql.params),
    ]);
    if (this.closed) return;
    // too small to be worth keeping (it may have shrunk since it was kept): reports read it whole
    if (walk.trades < this.options.minTrips) {
      await query(em, 'delete from report_prefixes where scope_key = ?', [key]);
      return;
    }
    const state: WalkState = {
      trades: walk.trades,
      equity: walk.equity,
      peak: walk.peak,
      maxDrawdown: walk.max_drawdown,
      run: walk.losing_run,
      longest: walk.longest_losing_streak,
    };
    await query(
      em,
      `insert into report_prefixes (scope_key, version, built_at, split_at, days, symbols, walk) values (?, ?, ?, ?, ?, ?, ?::jsonb)
      on conflict (scope_key) do update set version = excluded.version, built_at = excluded.built_at, split_at = excluded.split_at,
        days = excluded.days, symbols = excluded.symbols, walk = excluded.walk
      where report_prefixes.built_at <= excluded.built_at`,
      [key, version, new Date(builtAt), before, groups.days, groups.symbols, JSON.stringify(state)],
    );
    // scopes nobody read for a while go (a scope is a user's, a filter's: they come and go)
    await query(em, 'delete from report_prefixes where used_at < ?', [new Date(builtAt - this.options.retentionMs)]);
  }
}
