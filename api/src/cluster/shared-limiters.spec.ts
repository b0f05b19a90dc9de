import { RateLimiterMemory } from 'rate-limiter-flexible';
import { BatchedLimiter } from './shared-limiters';

describe('BatchedLimiter', () => {
  it('should answer a burst as separate calls would, with one store call per round trip', async () => {
    const store = new RateLimiterMemory({ points: 5, duration: 60 });
    const consume = jest.spyOn(store, 'consume');
    const limiter = new BatchedLimiter(store, 5);
    const answers = await Promise.all(Array.from({ length: 8 }, () => limiter.consume('s1')));
    expect(answers).toEqual([true, true, true, true, true, false, false, false]);
    // The first call alone, then the seven that waited for it
    expect(consume.mock.calls.map((c) => c[1])).toEqual([1, 7]);
    // Used up: refused from memory, no store call
    expect(await limiter.consume('s1')).toBe(false);
    expect(consume).toHaveBeenCalledTimes(2);
    expect(await limiter.consume('s2')).toBe(true);
  });
  it('should answer ahead of the store while this process is its only writer and the known count leaves room', async () => {
    const settled = async <T>(p: Promise<T>) =>
      Promise.race([p.then((v) => ({ v })), new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
    for (const sole of [true, false]) {
      const store = new RateLimiterMemory({ points: 3, duration: 60 });
      // The store answers only when the test opens the gate
      let gate: Promise<void> = Promise.resolve();
      let open = () => undefined as void;
      const consume = store.consume.bind(store);
      const calls: number[] = [];
      jest.spyOn(store, 'consume').mockImplementation(async (key, points) => {
        calls.push(Number(points));
        await gate;
        return consume(key, points);
      });
      const limiter = new BatchedLimiter(store, 3, () => sole);
      // Nothing known yet: the first call waits for the store
      expect(await limiter.consume('s1')).toBe(true);
      gate = new Promise<void>((resolve) => (open = resolve));
      const second = limiter.consume('s1');
      const third = limiter.consume('s1');
      const fourth = limiter.consume('s1');
      if (sole) {
        // 1 known + 2 sent since = 3 points: the second and third are answered now, the fourth waits for the store
        expect(await settled(second)).toEqual({ v: true });
        expect(await settled(third)).toEqual({ v: true });
      } else {
        expect(await settled(second)).toBe('pending');
      }
      expect(await settled(fourth)).toBe('pending');
      open();
      expect(await Promise.all([second, third, fourth])).toEqual([true, true, false]);
      // Every call was counted in the store
      expect(calls.reduce((a, b) => a + b, 0)).toBe(4);
    }
  });
  it('should forget the keys whose windows ended, so its memory does not grow with every key it ever saw', async () => {
    jest.useFakeTimers();
    try {
      const store = new RateLimiterMemory({ points: 2, duration: 1 });
      const limiter = new BatchedLimiter(store, 2, () => true);
      // 20 rounds of 50 new keys, each key used up (so it is blocked too), 11 s apart: each round's windows have ended
      // by the next
      for (let round = 0; round < 20; round++) {
        for (let k = 0; k < 50; k++) {
          const key = `r${round}-k${k}`;
          expect(await Promise.all([limiter.consume(key), limiter.consume(key), limiter.consume(key)])).toEqual([
            true,
            true,
            false,
          ]);
        }
        jest.advanceTimersByTime(11_000);
      }
      // The last round's keys, and at most the round before it (swept at most every 10 s): not the 1,000 it saw
      expect(limiter.size()).toBeLessThanOrEqual(100);
    } finally {
      jest.useRealTimers();
    }
  });
});
