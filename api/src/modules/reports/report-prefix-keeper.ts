import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { logger } from '../../shared/logger';
import { PREFIX_VERSION, ReportPrefixCache, scopeFromKey, scopeKey } from './report-prefix';
import type { ReportScope } from './report-scope';

export type KeeperOptions = {
  everyMs: number; // how often a round looks for scopes to build or renew
  firstAfterMs: number; // the first round, after start-up's own work (recovery sweep, instrument loads)
  renewAfterMs: number; // a kept prefix older than this is rebuilt (its split moves up, reports read fewer trips)
  retentionMs: number; // scopes read within this long are kept fresh
  maxScopesPerRound: number; // bounds a round's work; the rest wait for the next round
  now: () => number;
};

const DEFAULTS: KeeperOptions = {
  everyMs: 15 * 60_000,
  firstAfterMs: 10_000,
  renewAfterMs: 60 * 60_000,
  retentionMs: 7 * 86_400_000,
  maxScopesPerRound: 100,
  now: Date.now,
};

// One api process of a cluster does a round at a time; the others skip theirs
const LOCK = 'algodatta.report-prefixes';

type Candidate = { key: string; scope: ReportScope; trips: number };
type KeptRow = { scope_key: string; valid: boolean; built_at: Date | string; used_at: Date | string; trips: number };
type SizeRow = { user_id: string | null; strategy_id: string | null; trips: number; everyone: boolean };

// Builds report prefixes ahead of reports, so that the first report of a large scope after a start (or after a
// late trip changed old figures) reads an hour or two of trips instead of all of them. A round, shortly after
// start and then every `everyMs`, renews every scope a report read within the retention whose prefix is missing,
// no longer right or over an hour old, and builds the scopes the reports page opens on without any filter: the
// admins' report over everyone, each user's, and each strategy's for its owner, when they are large. Scopes one at
// a time, on the ORM's pool (never the order path's), each a read of the trips like one report: at most
// `maxScopesPerRound` reports' worth of work per round. Nothing waits for it: start-up and health checks do not,
// and a report arriving while its scope is being built waits for that build rather than running beside it.
export class ReportPrefixKeeper {
  private readonly options: KeeperOptions;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly cache: ReportPrefixCache,
    options: Partial<KeeperOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    const schedule = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.current = this.round()
          .catch((error: unknown) =>
            logger.warn('report prefixes not renewed', {
              error: error instanceof Error ? error.message : String(error),
            }),
          )
          .finally(() => schedule(this.options.everyMs));
      }, delay);
      this.timer.unref();
    };
    schedule(this.options.firstAfterMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  // One round; resolves with the scopes it built (empty when another process holds the round)
  async round(): Promise<string[]> {
    const built: string[] = [];
    await this.em.fork().transactional(async (tx) => {
      const [{ locked }] = await query<{ locked: boolean }>(
        tx,
        'select pg_try_advisory_xact_lock(hashtext(?)) as locked',
        [LOCK],
      );
      if (!locked) return;
      for (const c of await this.candidates(tx)) {
        if (this.stopped) break;
        await this.cache.renew(this.em, c.scope);
        built.push(c.key);
      }
    });
    if (built.length) logger.info('report prefixes renewed', { scopes: built.length });
    return built;
  }

  // What a round builds, largest first: the kept scopes still read, and the unfiltered scopes large enough to keep
  private async candidates(em: EntityManager): Promise<Candidate[]> {
    const now = this.options.now();
    const minTrips = this.cache.minTrips;
    const [kept, sizes, admins] = await Promise.all([
      query<KeptRow>(
        em,
        `select scope_key, version = ${PREFIX_VERSION} as valid, built_at, used_at, coalesce((walk->>'trades')::int, 0) as trips
        from report_prefixes`,
      ),
      // one pass over the trips (an index-only scan): the whole table, each user's and each strategy's counts
      query<SizeRow>(
        this.em.fork(),
        `select user_id, strategy_id, count(*)::int as trips, grouping(user_id) = 1 as everyone from round_trips
        group by grouping sets ((), (user_id), (user_id, strategy_id)) having count(*) >= ?`,
        [minTrips],
      ),
      query<{ id: string }>(em, `select id from users where role = 'ADMIN'`),
    ]);
    const isAdmin = new Set(admins.map((a) => a.id));
    const wanted = new Map<string, Candidate>();
    const want = (scope: ReportScope, trips: number) =>
      wanted.set(scopeKey(scope), { key: scopeKey(scope), scope, trips });
    for (const row of kept) {
      if (now - new Date(row.used_at).getTime() <= this.options.retentionMs)
        want(scopeFromKey(row.scope_key), row.trips);
    }
    const unfiltered = (userId: string | null, strategyId: string | null): ReportScope => ({
      ...scopeFromKey(JSON.stringify([null, null, null, null, null, null])),
      userId,
      strategyId,
    });
    for (const s of sizes) {
      const admin = s.user_id !== null && isAdmin.has(s.user_id);
      if (s.everyone) want(unfiltered(null, null), s.trips);
      // an admin's report covers every user: their own trips alone are no page's scope
      else if (s.strategy_id === null) {
        if (!admin) want(unfiltered(s.user_id, null), s.trips);
      } else want(unfiltered(admin ? null : s.user_id, s.strategy_id), s.trips);
    }
    const fresh = new Set(
      kept
        .filter((k) => k.valid && now - new Date(k.built_at).getTime() < this.options.renewAfterMs)
        .map((k) => k.scope_key),
    );
    return [...wanted.values()]
      .filter((c) => !fresh.has(c.key))
      .sort((a, b) => b.trips - a.trips)
      .slice(0, this.options.maxScopesPerRound);
  }
}
