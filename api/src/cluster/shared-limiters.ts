import type Redis from 'ioredis';
import type { Pool } from 'pg';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { logger } from '../shared/logger';

export type LimiterSpec = {
  keyPrefix: string;
  points: number;
  duration: number;
  // Once a key has used its points, later calls in its window are refused from memory, without a store round
  // trip (default). Off for a limiter whose keys are reset (delete()) before their window ends: another process
  // would go on refusing a key that was reset elsewhere.
  localBlock?: boolean;
};

// Where rate-limit counters live, so that every api process counts against the same budget: PostgreSQL's
// rate_limits table (default) or Redis (REDIS_URL). Each limiter has an in-memory insurance limiter of the same
// size: while the store cannot be reached, each process still limits on its own rather than failing requests.
export type LimiterFactory = {
  readonly kind: 'memory' | 'postgres' | 'redis';
  create(spec: LimiterSpec): RateLimiterAbstract;
  /** Whether this process is, right now, the only one counting in the shared store (no other api process on its
   * database): then what the store last answered plus what this process sent since is the store's count. */
  soleWriter?(): boolean;
  /** Calls `handler` when another api process is first heard (soleWriter turned false) */
  peerJoined?(handler: () => void): void;
};

export const RATE_LIMITS_TABLE = 'rate_limits';

const common = (spec: LimiterSpec) => ({
  keyPrefix: spec.keyPrefix,
  points: spec.points,
  duration: spec.duration,
  insuranceLimiter: new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.duration }),
  ...(spec.localBlock !== false && { inMemoryBlockOnConsumed: spec.points }),
});

// One process alone (tests of a single service, tools)
export function memoryLimiters(): LimiterFactory {
  return {
    kind: 'memory',
    create: (spec) =>
      new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.duration }),
  };
}

// The table is made by a migration; expired rows are deleted every 5 minutes by whichever limiter's timer fires
export function postgresLimiters(pool: Pool, soleWriter?: () => boolean): LimiterFactory {
  let sweeping = false;
  return {
    kind: 'postgres',
    soleWriter,
    create: (spec) => {
      const limiter = new RateLimiterPostgres({
        ...common(spec),
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMITS_TABLE,
        tableCreated: true,
        // One sweeper per process is enough: every limiter shares the table
        clearExpiredByTimeout: !sweeping,
      });
      sweeping = true;
      return limiter;
    },
  };
}

// Keys are "<namespace>:<keyPrefix>:<key>": the processes of one database share counters, other databases' do not
export function redisLimiters(redis: Redis, namespace: string, soleWriter?: () => boolean): LimiterFactory {
  return {
    kind: 'redis',
    soleWriter,
    // A command never waits for a reconnect: while Redis is away the insurance limiter answers at once
    create: (spec) =>
      new RateLimiterRedis({
        ...common(spec),
        keyPrefix: `${namespace}:${spec.keyPrefix}`,
        storeClient: redis,
        rejectIfRedisNotReady: true,
      }),
  };
}

// `unanswered`: points of the batch in flight that the store's count (Known) does not have yet; `asked`: calls among
// `waiting` that wait for the store's answer (the others were answered ahead of it); `later`: the timer that counts
// the points answered ahead in the store
type Slot = {
  waiting: Array<(allowed: boolean) => void>;
  inFlight: boolean;
  unanswered: number;
  asked: number;
  later?: NodeJS.Timeout;
  /** When the oldest point answered ahead and not sent yet was answered */
  aheadSince?: number;
};
// What the store last said of a key: points consumed in its window, and when that window ends
type Known = { consumed: number; until: number };
// A window this close to its end is not answered ahead of the store (it may have begun again there)
const WINDOW_MARGIN_MS = 1000;
// How often the keys whose windows have ended are dropped (a strategy that stopped sending is forgotten then)
const SWEEP_EVERY_MS = 10_000;
// Points answered ahead of the store are counted there together: by the first call that finds the oldest of them at
// least BATCH_AGE_MS old (its statement goes beside that alert's own insert, as each alert's did), else by a timer
// COUNT_LATER_MS after the first of them (a stream's last points). A steady stream of alerts (100/s to one strategy)
// cost one store statement per alert; now one per BATCH_AGE_MS. A timer instead of the next alert (tried first) fired
// in the middle of a later alert's order path at 10/s. Both well under WINDOW_MARGIN_MS, so the points land in the
// window that answered them.
export const BATCH_AGE_MS = 50;
export const COUNT_LATER_MS = 500;

// A shared limiter for the webhook's hot path: calls for one key that arrive while that key's store round trip
// is in flight wait and go as one consume(key, n) when it returns, so a burst of alerts costs one store statement
// per round trip per strategy rather than one per alert; the answers are what n separate calls would have got
// (the i-th of the batch took point consumed-n+i). Once a key has used its points it is refused from memory
// until its window ends.
// While this process is the store's only writer (`soleWriter`), a call is answered at once when the store's last
// answer plus the points sent since leave room for it, and counted in the store later, with the others answered ahead
// meanwhile (BATCH_AGE_MS, COUNT_LATER_MS: the alert's path has no store round trip then, and a stream costs one store
// statement per batchAgeMs); near the end of a window, when unsure, or with other processes, it waits for the store as
// above, and the points answered ahead and not counted yet go with it. So the store lags this process by at most
// countLaterMs (and a round trip) of answers: what a process that dies meanwhile never counts (a process stopping
// counts them first: flush; another process being heard, which happens before its server takes requests, too).
export class BatchedLimiter {
  private readonly slots = new Map<string, Slot>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly known = new Map<string, Known>();
  private sweptAt = 0;
  private readonly flights = new Set<Promise<void>>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly points: number,
    private readonly soleWriter: () => boolean = () => false,
    private readonly countLaterMs = COUNT_LATER_MS,
    private readonly batchAgeMs = BATCH_AGE_MS,
  ) {}

  /** The points answered ahead of the store, counted there now; resolves when the store has every point sent. */
  async flush(): Promise<void> {
    for (;;) {
      for (const [key, slot] of this.slots) if (!slot.inFlight && slot.waiting.length) this.send(key, slot);
      if (!this.flights.size) return;
      await Promise.all([...this.flights]);
    }
  }

  consume(key: string): Promise<boolean> {
    const until = this.blockedUntil.get(key);
    if (until !== undefined) {
      if (until > Date.now()) return Promise.resolve(false);
      this.blockedUntil.delete(key);
    }
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { waiting: [], inFlight: false, unanswered: 0, asked: 0 }));
    if (this.hasRoom(key, slot)) {
      const now = Date.now();
      slot.waiting.push(() => undefined);
      if (!slot.inFlight && slot.aheadSince !== undefined && now - slot.aheadSince >= this.batchAgeMs)
        this.send(key, slot);
      else {
        slot.aheadSince ??= now;
        if (!slot.inFlight) this.countLater(key, slot);
      }
      return Promise.resolve(true);
    }
    const queued = slot;
    return new Promise((resolve) => {
      queued.waiting.push(resolve);
      queued.asked += 1;
      if (!queued.inFlight) this.send(key, queued);
    });
  }

  private countLater(key: string, slot: Slot): void {
    if (slot.later) return;
    slot.later = setTimeout(() => {
      slot.later = undefined;
      if (!slot.inFlight && slot.waiting.length) this.send(key, slot);
    }, this.countLaterMs);
    slot.later.unref();
  }

  private hasRoom(key: string, slot: Slot): boolean {
    const known = this.known.get(key);
    if (!known || Date.now() >= known.until - WINDOW_MARGIN_MS || !this.soleWriter()) return false;
    return known.consumed + slot.unanswered + slot.waiting.length + 1 <= this.points;
  }

  private send(key: string, slot: Slot): void {
    clearTimeout(slot.later);
    slot.later = undefined;
    slot.aheadSince = undefined;
    const batch = slot.waiting.splice(0);
    slot.asked = 0;
    slot.inFlight = true;
    slot.unanswered = batch.length;
    const flight = this.limiter
      .consume(key, batch.length)
      .catch((res: unknown) => {
        if (res instanceof RateLimiterRes) return res;
        throw res;
      })
      .then(
        (res) => {
          slot.unanswered = 0;
          this.known.set(key, { consumed: res.consumedPoints, until: Date.now() + res.msBeforeNext });
          const before = res.consumedPoints - batch.length;
          batch.forEach((resolve, i) => resolve(before + i + 1 <= this.points));
          if (res.consumedPoints >= this.points && res.msBeforeNext > 0)
            this.blockedUntil.set(key, Date.now() + res.msBeforeNext);
          this.sweep();
        },
        (error: unknown) => {
          slot.unanswered = 0;
          this.known.delete(key);
          // Not a verdict (the insurance limiter answers for an unreachable store): an alert is not refused for it
          logger.warn('rate limit could not be checked; allowed', { key, error: (error as Error).message });
          for (const resolve of batch) resolve(true);
        },
      )
      .finally(() => {
        this.flights.delete(flight);
        slot.inFlight = false;
        if (slot.asked) this.send(key, slot);
        else if (slot.waiting.length) this.countLater(key, slot);
        else this.slots.delete(key);
      });
    this.flights.add(flight);
  }

  /** Keys this limiter holds state for (what the store last said, a block), for diagnostics and tests */
  size(): number {
    return new Set([...this.known.keys(), ...this.blockedUntil.keys(), ...this.slots.keys()]).size;
  }

  // What is known of a key whose window has ended says nothing any more (hasRoom and consume would not use it):
  // dropped, at most every SWEEP_EVERY_MS, so the maps hold only the keys of the current windows and do not grow
  // with every strategy that ever sent an alert
  private sweep(): void {
    const now = Date.now();
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    for (const [key, known] of this.known) if (known.until <= now) this.known.delete(key);
    for (const [key, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(key);
  }
}

// The per-strategy alert rate (alerts per minute, a strategy setting): one batched shared limiter per distinct rate
export class AlertRateLimits {
  private readonly byRate = new Map<number, BatchedLimiter>();

  // Another process heard: the points answered ahead of the store are counted there now, so it counts from them
  // (a process that starts is heard before its server takes its first request)
  constructor(private readonly limiters: LimiterFactory) {
    limiters.peerJoined?.(() => void this.flush().catch(() => undefined));
  }

  consume(strategyId: string, perMinute: number): Promise<boolean> {
    let limiter = this.byRate.get(perMinute);
    if (!limiter) {
      limiter = new BatchedLimiter(
        this.limiters.create({ keyPrefix: `alerts-${perMinute}`, points: perMinute, duration: 60, localBlock: false }),
        perMinute,
        this.limiters.soleWriter,
      );
      this.byRate.set(perMinute, limiter);
    }
    return limiter.consume(strategyId);
  }

  /** Every point answered ahead of the store counted there (a process stopping) */
  async flush(): Promise<void> {
    await Promise.all([...this.byRate.values()].map((limiter) => limiter.flush()));
  }
}
