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
});
