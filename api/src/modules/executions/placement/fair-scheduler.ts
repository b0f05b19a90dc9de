import { logger } from '../../../shared/logger';
import { isDatabaseConnectionLost } from '../../../shared/database-connection-lost';
import { runWithContext } from '../../../shared/request-context';

/** A position's queue: one user's strategy, symbol and mode. Its orders are decided one after another. */
export type Lane = { key: string; userId: string; strategyId: string; symbol: string; mode: string };
export type Work = { id: string; correlationId: string };
/** The executions queued behind an attempt in its position's lane, which the attempt may take into its turn (a batch,
 * see executor.service.ts): `waiting` lists their ids in queue order; `take` removes those the attempt claimed from
 * the queue (they are not started again) and returns what settles them once their attempts are over. */
export type LaneQueue = { waiting(max: number): string[]; take(ids: string[]): () => void };
/** Runs the part of an attempt that needs its position's turn (the claim, the decision and the order), in queue
 * order. `next()` says whether another attempt of the position is already waiting for this turn (it can be handed
 * the position's turn across processes without giving it back, see executor.service.ts). */
export type Turn = <T>(work: (next: () => boolean, queue: LaneQueue) => Promise<T>) => Promise<T>;
/** What an attempt asks of its work item: nothing (it is done), or to come again (it decided an older execution of
 * its position first), after `afterMs` when given (the position waits for a dead process's lease to run out). */
export type Outcome = void | { again: true; afterMs?: number };

export type FairSchedulerDeps = {
  /** One attempt at an execution; calls `turn` at most once, for what must not overlap the position's other attempts. */
  execute(work: Work, turn: Turn, lane: Lane): Promise<Outcome>;
  /** The position's PENDING executions that can start now, oldest (arrival) first. */
  load(lane: Lane, limit: number): Promise<Work[]>;
  /** An execution of the position was left in PostgreSQL, beyond the memory bound (other processes may take it). */
  spilled?(lane: Lane): void;
};

export type FairSchedulerLimits = {
  /** Attempts in progress at once. */
  concurrency: number;
  /** Executions held in memory across positions; beyond it they wait in PostgreSQL. */
  maxQueued: number;
};

// Per lane: queued in memory at most this many; refilled from PostgreSQL when it falls to LOW_WATER, BATCH at a time
const PER_LANE = 256;
const LOW_WATER = 32;
const BATCH = 128;
// Two attempts per position at a time: the claim happens inside the position's turn (it takes the position's oldest
// waiting execution, see claimNext), so the second one only waits for the turn; it takes it as soon as the first
// one's turn work is done, while the first one ends its attempt outside the turn (a paper fill's bookkeeping)
const ACTIVE_PER_LANE = 2;
const RELOAD_AFTER_ERROR_MS = 1000;

type Item = Work & { done: Promise<void>; resolve: () => void; running: boolean; again?: Item };

class LaneState {
  readonly queue: Item[] = [];
  active = 0;
  turns: Promise<void> = Promise.resolve();
  // Attempts that called `turn` and wait for it
  waiting = 0;
  // Some of its executions wait in PostgreSQL, not here: new ones go there too, behind them, until a load drains it
  spilled = false;
  // Alerts of this process left in PostgreSQL and not loaded yet (for the strategy's backlog)
  spilledCount = 0;
  loading = false;
  // Bumped whenever an execution is left in PostgreSQL: a load that saw no bump and came back short has them all
  epoch = 0;
  listed = false;
  // Waiting for a dead process's lease on its oldest execution to run out: nothing of it can start before
  paused = false;
  constructor(readonly lane: Lane) {}
  ready(): boolean {
    return this.queue.length > 0 && this.active < ACTIVE_PER_LANE && !this.paused;
  }
  idle(): boolean {
    return this.queue.length === 0 && this.active === 0 && !this.spilled && !this.loading;
  }
}

type Tenant = { id: string; ready: LaneState[]; listed: boolean };

// Decides which execution runs next, fairly: of the users with a position ready to run, the one served longest ago
// goes next (round-robin, which a newly ready user enters at the front), and round-robin over that user's ready
// positions, so one user's burst never queues another user's alert behind it. A position runs
// its executions in arrival order, one decision at a time. The memory queue is bounded: beyond it executions stay
// PENDING in PostgreSQL (where they already are) and are loaded in arrival order per position as the position's
// queue empties; a position's later alert never overtakes one still waiting there. Any process (or the recovery
// sweep) can hand a position back to the database the same way, which is how a backlog is recovered.
export class FairScheduler {
  private readonly lanes = new Map<string, LaneState>();
  private readonly byStrategy = new Map<string, Set<LaneState>>();
  private readonly tenants = new Map<string, Tenant>();
  private readonly readyTenants: Tenant[] = [];
  // When each user last had an attempt started (a dispatch counter): the ready user served longest ago goes next
  private readonly lastServed = new Map<string, number>();
  private dispatches = 0;
  private readonly items = new Map<string, Item>();
  private running = 0;
  private queued = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly deps: FairSchedulerDeps,
    private readonly limits: FairSchedulerLimits,
  ) {}

  /** An execution to run (just accepted, or due again): queued in memory if there is room and nothing older of its
   * position waits in PostgreSQL, else left there to be loaded in its turn. */
  offer(lane: Lane, work: Work): void {
    if (this.closed) return;
    const current = this.items.get(work.id);
    if (current) {
      // Asked while its attempt is ending (a retry timer): one more pass after it
      if (current.running) current.again ??= this.newItem(work);
      return;
    }
    const state = this.laneFor(lane);
    if (state.spilled || state.queue.length >= PER_LANE || this.queued >= this.limits.maxQueued) {
      state.spilled = true;
      state.spilledCount += 1;
      state.epoch += 1;
      this.deps.spilled?.(lane);
      this.load(state);
      return;
    }
    this.enqueue(state, work);
    this.pump();
  }

  /** One execution, now, whatever the limits (a retry, a replay); resolves when its attempt is over. */
  run(lane: Lane, work: Work): Promise<void> {
    if (this.closed) return Promise.resolve();
    const current = this.items.get(work.id);
    if (current && !current.running) return current.done;
    // Asked while its attempt is ending: one more pass after it (that pass's claim decides if anything is left)
    if (current) return (current.again ??= this.newItem(work)).done;
    const item = this.enqueue(this.laneFor(lane), work);
    this.pump();
    return item.done;
  }

  /** Executions of this position wait in PostgreSQL (found by the recovery sweep): load them in arrival order. */
  resume(lane: Lane): void {
    if (this.closed) return;
    const state = this.laneFor(lane);
    state.spilled = true;
    state.epoch += 1;
    this.load(state);
  }

  /** Whether an attempt could start now and an execution more fits in memory (work from elsewhere is welcome). */
  hasCapacity(): boolean {
    return !this.closed && this.running < this.limits.concurrency && this.queued < this.limits.maxQueued;
  }

  /** Accepted alerts of a strategy not yet started (in memory or left in PostgreSQL by this process). */
  backlog(strategyId: string): number {
    let total = 0;
    for (const state of this.byStrategy.get(strategyId) ?? []) total += state.queue.length + state.spilledCount;
    return total;
  }

  /** Stops starting attempts; resolves once those in progress are over. Queued ones stay PENDING in PostgreSQL. */
  async drain(): Promise<void> {
    this.closed = true;
    for (const item of this.items.values()) if (!item.running) item.resolve();
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private newItem(work: Work): Item {
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    return { id: work.id, correlationId: work.correlationId, done, resolve, running: false };
  }

  private enqueue(state: LaneState, work: Work | Item): Item {
    const item = 'done' in work ? work : this.newItem(work);
    this.items.set(item.id, item);
    state.queue.push(item);
    this.queued += 1;
    this.list(state);
    return item;
  }

  private laneFor(lane: Lane): LaneState {
    let state = this.lanes.get(lane.key);
    if (!state) {
      state = new LaneState(lane);
      this.lanes.set(lane.key, state);
      let siblings = this.byStrategy.get(lane.strategyId);
      if (!siblings) this.byStrategy.set(lane.strategyId, (siblings = new Set()));
      siblings.add(state);
    }
    return state;
  }

  private forget(state: LaneState): void {
    if (!state.idle() || state.listed) return;
    this.lanes.delete(state.lane.key);
    const siblings = this.byStrategy.get(state.lane.strategyId);
    siblings?.delete(state);
    if (siblings?.size === 0) this.byStrategy.delete(state.lane.strategyId);
  }

  // A ready lane joins its user's list, and the user the round-robin
  private list(state: LaneState): void {
    if (state.listed || !state.ready()) return;
    state.listed = true;
    let tenant = this.tenants.get(state.lane.userId);
    if (!tenant) this.tenants.set(state.lane.userId, (tenant = { id: state.lane.userId, ready: [], listed: false }));
    tenant.ready.push(state);
    if (!tenant.listed) {
      tenant.listed = true;
      this.readyTenants.push(tenant);
    }
  }

  private pump(): void {
    while (!this.closed && this.running < this.limits.concurrency && this.readyTenants.length > 0) {
      const tenant = this.readyTenants.splice(this.nextTenant(), 1)[0];
      tenant.listed = false;
      const state = tenant.ready.shift()!;
      state.listed = false;
      if (state.ready()) this.launch(state, state.queue.shift()!);
      // Still ready: to the back of its user's list (which puts the user back in the round-robin)
      this.list(state);
      if (tenant.listed) continue;
      if (tenant.ready.length > 0) {
        tenant.listed = true;
        this.readyTenants.push(tenant);
      } else {
        this.tenants.delete(tenant.id);
      }
    }
  }

  // Round-robin that a newcomer enters at the front: the ready user whose last attempt started longest ago
  private nextTenant(): number {
    let best = 0;
    let bestServed = Infinity;
    for (const [i, tenant] of this.readyTenants.entries()) {
      const served = this.lastServed.get(tenant.id) ?? -1;
      if (served < bestServed) [best, bestServed] = [i, served];
    }
    return best;
  }

  private launch(state: LaneState, item: Item): void {
    this.queued -= 1;
    if (this.lastServed.size >= 10_000) this.lastServed.clear();
    this.lastServed.set(state.lane.userId, ++this.dispatches);
    state.active += 1;
    this.running += 1;
    item.running = true;
    // The turn is taken now, in queue order. The position counts the attempt until it is over (the claim is inside
    // the turn, so nothing of the next one can overlap it): an item that comes again is back at the front first.
    const previous = state.turns;
    let release!: () => void;
    state.turns = new Promise<void>((resolve) => {
      release = resolve;
    });
    let took = false;
    let left = false;
    const leaveLane = () => {
      if (left) return;
      left = true;
      state.active -= 1;
      this.list(state);
      this.load(state);
      this.pump();
    };
    const turn: Turn = async (work) => {
      took = true;
      state.waiting += 1;
      try {
        await previous;
      } finally {
        state.waiting -= 1;
      }
      try {
        return await work(() => state.waiting > 0, {
          waiting: (max) => state.queue.slice(0, max).map((queued) => queued.id),
          take: (ids) => this.take(state, ids),
        });
      } finally {
        release();
      }
    };
    void runWithContext({ correlationId: item.correlationId }, () => this.deps.execute(item, turn, state.lane))
      .catch((error: unknown) => void logger.error('execution crashed', { executionId: item.id, error }))
      .then((outcome) => {
        if (!took) void previous.then(release);
        this.running -= 1;
        item.running = false;
        if (outcome && !this.closed) this.comeAgain(state, item, outcome.afterMs);
        else this.settle(state, item);
        leaveLane();
        this.list(state);
        this.forget(state);
        if (this.running === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        this.pump();
      });
    this.load(state);
  }

  // Queued items an attempt took into its turn: out of the queue now, running (a retry asked for meanwhile is one more
  // pass after it, as for any running item), settled when the attempt says they are over
  private take(state: LaneState, ids: string[]): () => void {
    const wanted = new Set(ids);
    const taken = state.queue.filter((item) => wanted.has(item.id));
    if (taken.length === 0) return () => undefined;
    state.queue.splice(0, state.queue.length, ...state.queue.filter((item) => !wanted.has(item.id)));
    this.queued -= taken.length;
    for (const item of taken) item.running = true;
    return () => {
      for (const item of taken) {
        item.running = false;
        this.settle(state, item);
      }
      this.list(state);
      this.pump();
    };
  }

  // The item decided an older execution of its position (another's, maybe another process's): it goes to the front
  // of its lane again, still unresolved; a pass asked for meanwhile is this one
  private comeAgain(state: LaneState, item: Item, afterMs?: number): void {
    const extra = item.again;
    item.again = undefined;
    if (extra) void item.done.then(extra.resolve);
    state.queue.unshift(item);
    this.queued += 1;
    if (afterMs === undefined || state.paused) return;
    state.paused = true;
    setTimeout(() => {
      state.paused = false;
      this.list(state);
      this.pump();
    }, afterMs).unref();
  }

  private settle(state: LaneState, item: Item): void {
    this.items.delete(item.id);
    item.resolve();
    if (item.again && !this.closed) this.enqueue(state, item.again);
    else item.again?.resolve();
  }

  // Takes a spilled lane's next executions from PostgreSQL once its memory queue runs low
  private load(state: LaneState): void {
    if (!state.spilled || state.loading || this.closed || state.queue.length > LOW_WATER) return;
    state.loading = true;
    const epoch = state.epoch;
    const want = Math.max(1, Math.min(BATCH, this.limits.maxQueued - this.queued));
    // Those already here (queued or starting) come back too: ask for enough to see past them
    const limit = want + state.queue.length + state.active;
    this.deps.load(state.lane, limit).then(
      (rows) => {
        state.loading = false;
        let added = 0;
        let more = false;
        for (const row of rows) {
          if (this.items.has(row.id)) continue;
          if (added >= want) {
            more = true;
            break;
          }
          this.enqueue(state, row);
          added += 1;
        }
        state.spilledCount = Math.max(0, state.spilledCount - added);
        // Fewer than asked, every one of them here now, and nothing left there meanwhile: the database has no more of
        // this lane's waiting. (`limit` counts the queued ones, but a batch claim may have leased some of them, out of
        // the load's sight, before taking them from the queue: the answer then falls short with rows still unread.)
        if (rows.length < limit && !more && state.epoch === epoch) {
          state.spilled = false;
          state.spilledCount = 0;
        }
        this.list(state);
        this.pump();
        this.load(state);
        this.forget(state);
      },
      (error: unknown) => {
        state.loading = false;
        // a dropped connection is retried below on a fresh one
        logger.log(isDatabaseConnectionLost(error) ? 'warn' : 'error', 'loading pending executions failed', {
          lane: state.lane.key,
          error,
        });
        setTimeout(() => this.load(state), RELOAD_AFTER_ERROR_MS).unref();
      },
    );
  }
}
