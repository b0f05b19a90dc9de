// The client-side limiter queues bursts instead of dropping them, and gives up with RateLimitError at the deadline
import { RateLimitError } from '@algodatta/broker-sdk';
import type { OrderRequest } from '@algodatta/broker-sdk';
import { SlidingWindowLimiter } from '../src';
import type { DhanSimulator } from '../src';
import { RELIANCE, clientFor, newId, startSim } from './helpers/dhan-test-kit';

const order = (): OrderRequest => ({
  clientOrderId: newId('rl'),
  instrument: RELIANCE,
  side: 'BUY',
  type: 'LIMIT',
  product: 'INTRADAY',
  quantity: '1',
  price: '2000',
});
const postTimes = (sim: DhanSimulator) =>
  sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders').map((r) => r.at);

describe('order rate limiter', () => {
  let sim: DhanSimulator;
  beforeEach(async () => {
    sim = await startSim({ orderRateLimitPerSecond: 4 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('should queue a burst above the per-second limit and send all of it without a 429', async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false, rateLimits: { perSecond: 4, safetyMarginMs: 30 } });
    try {
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.placeOrder(order())));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const at = postTimes(sim);
      expect(at).toHaveLength(6);
      // Per the simulator's clock: never more than 4 in any 1 s window
      for (let i = 0; i + 4 < at.length; i++) expect(at[i + 4] - at[i]).toBeGreaterThanOrEqual(1000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await client.close();
    }
  });

  it("should never exceed Dhan's count when requests reach Dhan late (jitter between our send and its arrival)", async () => {
    // The first four requests take 300 ms to be counted by the simulator (as if delayed in the network). A limiter
    // that times windows from our send lets the 5th go at ~1 s, which Dhan counts within 1 s of the first four: 429.
    sim.inject({ kind: 'slow', method: 'POST', path: '/orders', delayMs: 300, times: 4 });
    const client = await clientFor(sim, { lookupBeforePlace: false, rateLimits: { perSecond: 4, safetyMarginMs: 0 } });
    try {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.placeOrder(order())));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(postTimes(sim)).toHaveLength(5);
    } finally {
      await client.close();
    }
  });

  it("should take turns between origins, so one strategy's burst does not delay another's order", async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false, rateLimits: { perSecond: 4, safetyMarginMs: 0 } });
    try {
      const done: string[] = [];
      const burst = Array.from({ length: 8 }, () =>
        client.placeOrder({ ...order(), origin: 'strategy-a' }).then(() => done.push('a')),
      );
      const single = client.placeOrder({ ...order(), origin: 'strategy-b' }).then(() => done.push('b'));
      await Promise.all([...burst, single]);
      // Four of a's go at once; then the lanes alternate: b is next after a's fifth, not behind all eight
      expect(done.indexOf('b')).toBeLessThanOrEqual(6);
    } finally {
      await client.close();
    }
  });

  it("should see 429s from the simulator when the client limit is above Dhan's (the measurement can fail)", async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false, rateLimits: { perSecond: 100 } });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.placeOrder(order())));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.length).toBe(2);
      rejected.forEach((r) => expect(r.reason).toBeInstanceOf(RateLimitError));
    } finally {
      await client.close();
    }
  });

  it('should reject a queued request with RateLimitError when its deadline passes, without sending it', async () => {
    const client = await clientFor(sim, {
      lookupBeforePlace: false,
      rateLimits: { perSecond: 1, queueTimeoutMs: 150 },
    });
    try {
      const started = Date.now();
      const [first, second] = await Promise.allSettled([client.placeOrder(order()), client.placeOrder(order())]);
      expect(first.status).toBe('fulfilled');
      expect(second.status).toBe('rejected');
      const e = (second as PromiseRejectedResult).reason as RateLimitError;
      expect(e).toBeInstanceOf(RateLimitError);
      expect(e.retryable).toBe(true);
      expect(e.retryAfterMs).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(900);
      expect(postTimes(sim)).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});

describe('SlidingWindowLimiter', () => {
  it('should honour every window at once and keep FIFO order', async () => {
    const limiter = new SlidingWindowLimiter(
      [
        { limit: 2, windowMs: 100 },
        { limit: 3, windowMs: 300 },
      ],
      { broker: 'dhan', queueTimeoutMs: 2000 },
    );
    const t0 = Date.now();
    const starts: [number, number][] = [];
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        limiter.schedule(async () => {
          starts.push([i, Date.now() - t0]);
        }),
      ),
    );
    expect(starts.map(([i]) => i)).toEqual([0, 1, 2, 3]);
    const at = starts.map(([, t]) => t);
    expect(at[2]).toBeGreaterThanOrEqual(95); // per-100 ms window
    expect(at[3]).toBeGreaterThanOrEqual(295); // per-300 ms window
    limiter.close();
  });
});
