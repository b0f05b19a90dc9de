// Dhan's limits are per account, not per client object: every client of one (baseUrl, clientId) shares limiters
import { SlidingWindowLimiter } from './rate-limiter';
import type { DhanOptions } from '../options';

export type AccountLimiters = { orders: SlidingWindowLimiter; reads: SlidingWindowLimiter; release(): void };

const shared = new Map<string, { orders: SlidingWindowLimiter; reads: SlidingWindowLimiter; users: number }>();

/** Clients currently holding an account's limiters (for tests and diagnostics). */
export function limiterUsers(baseUrl: string, clientId: string): number {
  return shared.get(`${baseUrl}|${clientId}`)?.users ?? 0;
}

export function acquireLimiters(
  baseUrl: string,
  clientId: string,
  options: DhanOptions,
  broker: string,
): AccountLimiters {
  const key = `${baseUrl}|${clientId}`;
  let entry = shared.get(key);
  if (!entry) {
    const rl = options.rateLimits;
    const m = rl.safetyMarginMs;
    entry = {
      orders: new SlidingWindowLimiter(
        [
          { limit: rl.perSecond, windowMs: 1_000 + m },
          { limit: rl.perMinute, windowMs: 60_000 + m },
          { limit: rl.perHour, windowMs: 3_600_000 + m },
          { limit: rl.perDay, windowMs: 86_400_000 + m },
        ],
        { broker, queueTimeoutMs: rl.queueTimeoutMs },
      ),
      reads: new SlidingWindowLimiter([{ limit: options.readsPerSecond, windowMs: 1_000 + m }], {
        broker,
        queueTimeoutMs: rl.queueTimeoutMs,
      }),
      users: 0,
    };
    shared.set(key, entry);
  }
  entry.users += 1;
  const e = entry;
  let released = false;
  return {
    orders: e.orders,
    reads: e.reads,
    release() {
      if (released) return;
      released = true;
      // The entry stays even with no users: a client created a moment later must see the same history.
      // Memory is bounded by the windows (at most perDay start times per account)
      e.users -= 1;
    },
  };
}
