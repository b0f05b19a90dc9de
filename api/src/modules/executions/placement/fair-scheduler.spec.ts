import { FairScheduler, Lane, Turn, Work } from './fair-scheduler';

const lane = (user: string, strategy: string, symbol = 'X'): Lane => ({
  key: `${strategy}|${symbol}|PAPER`,
  userId: user,
  strategyId: strategy,
  symbol,
  mode: 'PAPER',
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

// A scheduler whose attempts finish when the test says so; `db` plays PostgreSQL: every offered execution is there
// (committed before it is offered), in arrival order, until its attempt ran
function harness(limits: { concurrency: number; maxQueued: number }) {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const db = new Map<string, string[]>();
  const loads: Array<{ lane: string; limit: number }> = [];
  const scheduler = new FairScheduler(
    {
      execute: async (work: Work, turn: Turn) => {
        await turn(async () => {
          started.push(work.id);
          await new Promise<void>((resolve) => finish.set(work.id, resolve));
        });
        for (const ids of db.values()) if (ids.includes(work.id)) ids.splice(ids.indexOf(work.id), 1);
      },
      load: async (l: Lane, limit: number) => {
        loads.push({ lane: l.key, limit });
        return (db.get(l.key) ?? []).slice(0, limit).map((id) => ({ id, correlationId: id }));
      },
    },
    limits,
  );
  const offer = (l: Lane, id: string) => {
    db.set(l.key, [...(db.get(l.key) ?? []), id]);
    scheduler.offer(l, { id, correlationId: id });
  };
  const complete = async (id: string) => {
    finish.get(id)!();
    await tick();
    await tick();
  };
  return { scheduler, started, offer, complete, loads };
}

describe('FairScheduler', () => {
  it("should start another user's execution next, however many one user has queued", async () => {
    const h = harness({ concurrency: 1, maxQueued: 1000 });
    const a = lane('alice', 's1');
    for (let i = 0; i < 50; i++) h.offer(a, `a${i}`);
    await tick();
    h.offer(lane('bob', 's2'), 'b0');
    await tick();
    expect(h.started).toEqual(['a0']);
    await h.complete('a0');
    expect(h.started).toEqual(['a0', 'b0']);
  });

  it("should take turns between a user's positions and run one position's executions one at a time, in order", async () => {
    const h = harness({ concurrency: 4, maxQueued: 1000 });
    const x = lane('alice', 's1', 'X');
    const y = lane('alice', 's1', 'Y');
    for (const id of ['x0', 'x1', 'x2']) h.offer(x, id);
    for (const id of ['y0', 'y1']) h.offer(y, id);
    await tick();
    // Two positions at once; each holds its turn, the rest wait behind it
    expect(h.started).toEqual(['x0', 'y0']);
    await h.complete('y0');
    expect(h.started).toEqual(['x0', 'y0', 'y1']);
    await h.complete('x0');
    await h.complete('x1');
    expect(h.started).toEqual(['x0', 'y0', 'y1', 'x1', 'x2']);
    expect(h.scheduler.backlog('s1')).toBe(0);
  });

  it('should keep at most maxQueued in memory and take the rest from the database in arrival order', async () => {
    const h = harness({ concurrency: 1, maxQueued: 3 });
    const a = lane('alice', 's1');
    for (let i = 0; i < 10; i++) h.offer(a, `a${i}`);
    await tick();
    expect(h.scheduler.backlog('s1')).toBe(9);
    for (let i = 0; i < 10; i++) {
      expect(h.started[i]).toBe(`a${i}`);
      await h.complete(`a${i}`);
    }
    expect(h.started).toHaveLength(10);
    expect(h.loads.length).toBeGreaterThan(0);
    // Drained: a new execution goes to memory again, without a load
    const loads = h.loads.length;
    h.offer(a, 'a10');
    await tick();
    expect(h.started[10]).toBe('a10');
    expect(h.loads.length).toBe(loads);
  });

  it('should never let a later execution of a spilled position overtake the ones waiting in the database', async () => {
    const h = harness({ concurrency: 1, maxQueued: 2 });
    const a = lane('alice', 's1');
    for (let i = 0; i < 6; i++) h.offer(a, `a${i}`);
    await tick();
    await h.complete('a0');
    // Room in memory again, but a3..a5 still wait in the database: a6 queues behind them
    h.offer(a, 'a6');
    for (let i = 1; i <= 6; i++) {
      expect(h.started[i]).toBe(`a${i}`);
      await h.complete(`a${i}`);
    }
  });

  it('should resume a position found in the database (the recovery sweep) and run everything there', async () => {
    const a = lane('alice', 's1');
    // Left by a crashed process: in the database, never offered here
    const ids = Array.from({ length: 300 }, (_, i) => `r${i}`);
    const db = ids.slice();
    const started: string[] = [];
    const scheduler = new FairScheduler(
      {
        execute: async (work, turn) => {
          await turn(async () => {
            started.push(work.id);
          });
          db.splice(db.indexOf(work.id), 1);
        },
        load: async (_l, limit) => db.slice(0, limit).map((id) => ({ id, correlationId: id })),
      },
      { concurrency: 2, maxQueued: 1000 },
    );
    scheduler.resume(a);
    for (let i = 0; i < 200 && started.length < 300; i++) await tick();
    expect(started).toEqual(ids);
  });

  it('should run a whole recovered backlog when batches claim queued rows while a load reads the database', async () => {
    const a = lane('alice', 's1');
    // 400 left by a crashed process (three loads of 128 and one of 16). Each attempt claims itself and up to 15
    // queued behind it in one statement, as the executor does: the claimed rows are leased (a load no longer sees
    // them) a moment before the attempt takes them out of the queue. A load read in that moment came back short of
    // its limit, which counted them as queued, and the lane was taken for drained with 16 still in the database.
    const ids = Array.from({ length: 400 }, (_, i) => `r${i}`);
    const db = ids.slice();
    const leased = new Set<string>();
    const done: string[] = [];
    const later = () => new Promise((resolve) => setTimeout(resolve, 1));
    const scheduler = new FairScheduler(
      {
        execute: async (work, turn) => {
          let settle = () => undefined as void;
          await turn(async (_next, queue) => {
            // The position's oldest waiting rows, up to the latest asked for, as claimNext takes them
            const asked = [work.id, ...queue.waiting(15)];
            const upto = Math.max(...asked.map((id) => db.indexOf(id)));
            const claimed = db
              .slice(0, upto + 1)
              .filter((id) => !leased.has(id))
              .slice(0, 16);
            claimed.forEach((id) => leased.add(id));
            await later();
            settle = queue.take(claimed.filter((id) => id !== work.id));
            for (const id of claimed) {
              db.splice(db.indexOf(id), 1);
              leased.delete(id);
              done.push(id);
            }
          });
          settle();
        },
        load: async (_l, limit) => {
          await later();
          return db
            .filter((id) => !leased.has(id))
            .slice(0, limit)
            .map((id) => ({ id, correlationId: id }));
        },
      },
      { concurrency: 2, maxQueued: 1000 },
    );
    scheduler.resume(a);
    for (let i = 0; i < 500 && done.length < 400; i++) await later();
    expect(db).toEqual([]);
    expect(done).toEqual(ids);
  });

  it('should give a retry asked for while its attempt is ending one more pass', async () => {
    const h = harness({ concurrency: 1, maxQueued: 10 });
    const a = lane('alice', 's1');
    const first = h.scheduler.run(a, { id: 'r1', correlationId: 'c' });
    await tick();
    const again = h.scheduler.run(a, { id: 'r1', correlationId: 'c' });
    await h.complete('r1');
    await first;
    expect(h.started).toEqual(['r1', 'r1']);
    await h.complete('r1');
    await again;
  });

  it('should run an item again, unresolved, when its attempt took an older execution, and hold the position while asked', async () => {
    const a = lane('alice', 's1');
    const passes: string[] = [];
    let outcomes: Array<{ again: true; afterMs?: number } | undefined> = [
      { again: true },
      // long enough that five ticks on a loaded machine do not outlast it (30 ms did once in CI)
      { again: true, afterMs: 400 },
    ];
    const scheduler = new FairScheduler(
      {
        execute: async (work, turn) => {
          await turn(async () => {
            passes.push(work.id);
          });
          return work.id === 'x1' ? outcomes.shift() : undefined;
        },
        load: async () => [],
      },
      { concurrency: 2, maxQueued: 10 },
    );
    let done = false;
    const first = scheduler.run(a, { id: 'x1', correlationId: 'c' }).then(() => (done = true));
    scheduler.offer(a, { id: 'x2', correlationId: 'c' });
    for (let i = 0; i < 5; i++) await tick();
    // x2 already waited for the turn (two attempts per position: the second one waits for the turn), then x1 comes
    // again at once; then asked to wait: nothing of the position runs meanwhile
    expect(passes).toEqual(['x1', 'x2', 'x1']);
    expect(done).toBe(false);
    outcomes = [];
    await new Promise((resolve) => setTimeout(resolve, 450));
    await first;
    for (let i = 0; i < 5; i++) await tick();
    expect(passes).toEqual(['x1', 'x2', 'x1', 'x1']);
  });
  it('should let an attempt take queued executions of its lane into its turn: not started again, done when it settles them', async () => {
    const seen: string[][] = [];
    let settle!: () => void;
    const started: string[] = [];
    const scheduler = new FairScheduler(
      {
        execute: async (work: Work, turn: Turn) => {
          started.push(work.id);
          await turn(async (_next, queue) => {
            // The first attempt takes the next two queued behind it (a batch); later ones take nothing
            if (work.id !== 'a0') return;
            seen.push(queue.waiting(2));
            settle = queue.take(queue.waiting(2));
          });
          if (work.id === 'a0') await new Promise<void>((resolve) => setImmediate(resolve));
        },
        load: async () => [],
      },
      { concurrency: 1, maxQueued: 100 },
    );
    const l = lane('alice', 's1');
    for (const id of ['a0', 'a1', 'a2', 'a3']) scheduler.offer(l, { id, correlationId: id });
    const taken = scheduler.run(l, { id: 'a1', correlationId: 'a1' });
    let takenDone = false;
    void taken.then(() => (takenDone = true));
    for (let i = 0; i < 10; i++) await tick();
    expect(seen).toEqual([['a1', 'a2']]);
    // a1 and a2 were in a0's batch: never started on their own; a3 was not
    expect(started).toEqual(['a0', 'a3']);
    expect(takenDone).toBe(false);
    // Asked for again while taken (a retry): one more pass once settled
    scheduler.offer(l, { id: 'a2', correlationId: 'a2' });
    settle();
    for (let i = 0; i < 10; i++) await tick();
    expect(takenDone).toBe(true);
    expect(started).toEqual(['a0', 'a3', 'a2']);
  });
});
