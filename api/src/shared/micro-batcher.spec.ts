import { MicroBatcher } from './micro-batcher';

// A run function that records each batch and answers when released
function recorder(fail?: (item: number) => boolean) {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      pending.push(() => {
        running -= 1;
        if (fail && items.some(fail)) reject(new Error(`bad item in ${items.join(',')}`));
        else resolve(items.map((i) => `done ${i}`));
      });
    });
  const releaseAll = async () => {
    while (pending.length > 0) {
      pending.splice(0).forEach((release) => release());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { run, batches, releaseAll, maxRunning: () => maxRunning };
}

describe('MicroBatcher', () => {
  it('should run a lone call at once, as a batch of one', async () => {
    const r = recorder();
    const batcher = new MicroBatcher(r.run, { maxInFlight: 2, maxBatch: 10 });
    const answer = batcher.submit(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[7]]);
    await r.releaseAll();
    await expect(answer).resolves.toBe('done 7');
  });

  it('should gather the calls that arrive while batches run into the next batch, each answered with its own result', async () => {
    const r = recorder();
    const batcher = new MicroBatcher(r.run, { maxInFlight: 1, maxBatch: 3 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4, 5].map((i) => batcher.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[1]]);
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3, 4], [5]]);
    await expect(Promise.all([first, ...rest])).resolves.toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    expect(r.maxRunning()).toBe(1);
  });

  it('should never run more than maxInFlight batches at once', async () => {
    const r = recorder();
    const batcher = new MicroBatcher(r.run, { maxInFlight: 2, maxBatch: 1 });
    const all = Array.from({ length: 6 }, (_, i) => batcher.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toHaveLength(2);
    await r.releaseAll();
    await Promise.all(all);
    expect(r.maxRunning()).toBe(2);
  });

  it('should fail only the bad item when a batch of several fails, running each item alone', async () => {
    const r = recorder((item) => item === 3);
    const batcher = new MicroBatcher(r.run, { maxInFlight: 1, maxBatch: 10 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    const settled = Promise.allSettled([first, ...rest]);
    await r.releaseAll();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('bad item in 3');
    expect(r.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});

describe('MicroBatcher answer order', () => {
  it('should answer a later batch only after the earlier one, even when the later statement finishes first', async () => {
    const releases: Array<() => void> = [];
    const run = (items: number[]) =>
      new Promise<number[]>((resolve) => {
        releases.push(() => resolve(items));
      });
    const batcher = new MicroBatcher(run, { maxInFlight: 2, maxBatch: 10 });
    const order: number[] = [];
    const first = batcher.submit(1).then((v) => order.push(v));
    await new Promise((resolve) => setImmediate(resolve));
    const second = batcher.submit(2).then((v) => order.push(v));
    await new Promise((resolve) => setImmediate(resolve));
    expect(releases).toHaveLength(2);
    releases[1]();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    releases[0]();
    await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
  });
});
