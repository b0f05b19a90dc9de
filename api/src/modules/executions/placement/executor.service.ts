import {
  BrokerClient,
  BrokerError,
  BrokerUnavailableError,
  isBrokerError,
  Order,
  OrderNotFoundError,
  OrderRef,
  OrderRequest,
  UnknownOutcomeError,
} from '@algodatta/broker-sdk';
import { MikroORM } from '@mikro-orm/postgresql';
import { D, money } from '../../../shared/decimal';
import { logger } from '../../../shared/logger';
import { runWithContext } from '../../../shared/request-context';
import { BrokerRouter, RoutedExecution } from '../../brokers/broker-route';
import { BrokerRegistry } from '../../brokers/plugin-registry';
import { KillSwitchService } from '../../risk/kill-switch.service';
import { newOrderRefusal } from '../../risk/new-order-gate';
import type { MarketHours } from '../../sessions/market-hours';
import { emSql, type Sql } from '../../../db/sql';
import type { StrategyCache, StrategySnapshot } from '../../strategies/strategy-snapshot';
import {
  ClaimedExecution,
  claimNext,
  finishAttempt,
  finishAttempts,
  type AttemptEnd,
  orderRefOf,
  Placement,
  recordAccount,
  recordRequest,
  releaseClaims,
} from '../store/execution-claim';
import { Execution } from '../execution.entity';
import { OPEN_AT_BROKER } from '../execution-status';
import { FailureHandler } from './failure-handler';
import { FairScheduler, Lane, Outcome, Turn } from './fair-scheduler';
import { planPlacement } from './order-plan';
import {
  bracketLegOf,
  bracketRequest,
  bracketWorking,
  chooseBracket,
  entryOrderOf,
  exitsOf,
  openBrackets,
  workingBrackets,
  type BracketLegRef,
} from './bracket';
import { MAX_LEGS, OrderLegs, splitAtFreeze } from './order-legs';
import { claimLegs, releaseLegs, requestOf } from '../store/legs.sql';
import { OrderReadBack } from './order-read-back';
import { OrderUpdatesService } from '../broker-updates/order-updates.service';
import { positionKey } from '../../positions/position-key';
import type { PositionCheck } from '../../risk/position-check';
import { laneOf, nextPending } from './pending-executions.sql';
import { positionWithWorkingOrders } from './working-orders.sql';
import type { HeldTurn, PositionAtTurn, PositionTurns } from './position-turns';

// A claim that found an older execution's row being changed, or an insert of this process in flight, asks again after
// this long
const BUSY_RETRY_MS = 20;
// A position's turn across processes is handed from one attempt of this process to the next at most this many times
// in a row: then it is given back, and another process waiting for it (with alerts of its own) gets it
const HAND_ON_MAX = 32;
// A backlogged paper position claims at most this many executions at once (one claim statement for them all)
const BATCH_MAX = 16;
const OPEN_ORDER_STATUSES = new Set(['pending_submit', 'open', 'partially_filled']);

export type ExecutorOptions = {
  /** Attempts in progress at once (EXECUTOR_CONCURRENCY) */
  concurrency: number;
  /** Accepted executions held in memory (EXECUTOR_QUEUE_MAX); the rest wait in PostgreSQL */
  maxQueued: number;
  /** A strategy's accepted alerts still waiting above which the webhook answers 429 backlog (STRATEGY_BACKLOG_MAX) */
  backlogMax: number;
  /** The arrival stamp from which accepted executions of a position (by key) may not be committed yet (the intake's
   * inserts in flight) */
  oldestUnsettled: (position: string) => string | null;
  /** TradingView's prev_market_position against ours, before each plan (issue 18) */
  positionCheck?: PositionCheck;
  /** How long an attempt owns its execution (EXECUTION_LEASE_MS): a dead process's work waits this long */
  leaseMs: number;
  /** A turn no attempt waits for yet is kept this long for the position's next alert, handed on to it as to one that
   * waits (POSITION_TURN_LINGER_MS): a steady stream costs no lock round trip per alert. At most a quarter of
   * EXECUTOR_CONCURRENCY turns linger at once (each holds a turn connection). */
  turnLingerMs?: number;
  /** A position's turn across api processes (issue 19); without it the turn is this process's only */
  turns?: PositionTurns;
  /** SL-M refused on the segment: SL this many percent beyond the trigger (STOP_LIMIT_BAND_PERCENT) */
  stopLimitBandPercent?: string;
  /** NATIVE_BRACKETS=off: exits are emulated even where the broker declares bracket orders (issue 18) */
  nativeBrackets?: boolean;
  /** The exchange freeze limit of an execution's instrument in units, null when none is known (issue 18) */
  freezeQuantity?: (strategy: StrategySnapshot, execution: ClaimedExecution) => Promise<string | null>;
  /** An execution of this position was left in PostgreSQL beyond the memory bound (overflow-sharing.ts tells the
   * other processes) */
  overflowed?: (position: { strategyId: string; userId: string; symbol: string; mode: string }) => void;
};

/** What the webhook knows of an execution it just accepted. */
export type AcceptedExecution = {
  executionId: string;
  correlationId: string;
  strategyId: string;
  userId: string;
  symbol: string;
  mode: string;
};

/** What the executor needs of an execution the intake accepted for `strategy` (every caller of start builds this). */
export const acceptedFor = (
  strategy: { id: string; mode: string; user: { id: string } },
  accepted: { executionId: string; correlationId: string; symbol: string },
): AcceptedExecution => ({
  executionId: accepted.executionId,
  correlationId: accepted.correlationId,
  strategyId: strategy.id,
  userId: strategy.user.id,
  symbol: accepted.symbol,
  mode: strategy.mode,
});

const laneFrom = (p: { strategyId: string; userId: string; symbol: string; mode: string }): Lane => ({
  key: positionKey(p.strategyId, p.symbol, p.mode),
  userId: p.userId,
  strategyId: p.strategyId,
  symbol: p.symbol,
  mode: p.mode,
});

// Turns one PENDING execution into at most one broker order. Safe to call from anywhere, any number of times:
// the lease admits one worker, and every attempt after the first asks the broker for our clientOrderId
// before sending anything, so a lost response never becomes a second order. Which execution runs next is the
// FairScheduler's: users take turns, and one position's attempts decide and place one after another, each against
// the position its predecessor left (a paper fill, or a fill the broker reports with the order, is recorded before
// the turn ends). Side by side, alerts arriving together all read the same position and together broke the maximum
// open position, the allowed sides and EXIT. The claim happens inside the turn (issue 19); a backlogged position
// hands its turn across processes from one attempt to the next, and a paper fill's end of attempt is written after
// the turn, so the next order's claim overlaps it (issue 13).
export class ExecutorService {
  private readonly subscribed = new Set<string>();
  private readonly scheduler: FairScheduler;
  private readonly readBack: OrderReadBack;
  private readonly legs: OrderLegs;
  // Turns across processes handed on to the next attempt of the position (by position key), and how many times in a row
  private readonly handedOn = new Map<string, { turn: HeldTurn; linger?: NodeJS.Timeout }>();
  private readonly handOns = new Map<string, number>();
  private lingering = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly updates: OrderUpdatesService,
    private readonly killSwitch: KillSwitchService,
    private readonly failures: FailureHandler,
    private readonly strategies: StrategyCache,
    private readonly marketHours: MarketHours,
    private readonly options: ExecutorOptions,
  ) {
    this.scheduler = new FairScheduler(
      {
        execute: (work, turn, lane) => this.execute(work.id, turn, lane),
        load: (lane, limit) => nextPending(this.sql, lane, limit, options.oldestUnsettled(lane.key)),
        spilled: options.overflowed,
      },
      { concurrency: options.concurrency, maxQueued: options.maxQueued },
    );
    this.readBack = new OrderReadBack((id) => this.readBackOrder(id));
    this.legs = new OrderLegs(sql, {
      find: (client, ref) => this.findAtBroker(client, ref),
      adopt: (client, order, readFills) => this.adopt(client, order, readFills ?? this.readsFills(client.broker)),
      applyOrder: (order) => this.updates.applyOrder(order),
    });
  }

  // Right after the webhook answered 202: never throws, never blocks
  start(accepted: AcceptedExecution): void {
    this.scheduler.offer(laneFrom(accepted), { id: accepted.executionId, correlationId: accepted.correlationId });
  }

  // One execution now (a retry, a replay, a job); resolves when its attempt is over. An id already queued or
  // running here is not queued twice (the recovery sweep and a retry job can both ask); one asked for while its
  // previous attempt is still ending gets one more pass after it.
  async run(executionId: string): Promise<void> {
    const lane = await laneOf(this.sql, executionId);
    if (!lane) return;
    await this.scheduler.run(laneFrom(lane), { id: executionId, correlationId: lane.correlationId });
  }

  // An execution due now (a retry's timer, its Agenda job, a waiting alert to reject): like run, but within the
  // memory bound, so thousands coming due at once (after-market orders at the open) wait in PostgreSQL
  async wake(executionId: string): Promise<void> {
    const lane = await laneOf(this.sql, executionId);
    if (lane) this.scheduler.offer(laneFrom(lane), { id: executionId, correlationId: lane.correlationId });
  }

  // A position's waiting executions are in PostgreSQL (found by the recovery sweep): take them in arrival order
  resume(position: { strategyId: string; userId: string; symbol: string; mode: string }): void {
    this.scheduler.resume(laneFrom(position));
  }

  // Whether this process could take work another process left in PostgreSQL (overflow-sharing.ts)
  hasCapacity(): boolean {
    return this.scheduler.hasCapacity();
  }

  // The webhook's backpressure: a strategy whose accepted alerts pile up faster than they execute is refused
  // new ones for a while (429 backlog) instead of growing without limit
  isBacklogged(strategyId: string): boolean {
    return this.scheduler.backlog(strategyId) >= this.options.backlogMax;
  }

  // Shutdown: attempts in progress finish; queued ones are left PENDING for the next start's recovery sweep.
  async drain(): Promise<void> {
    this.readBack.stop();
    await this.scheduler.drain();
    // Turns kept for attempts that will not come now
    for (const { turn, linger } of this.handedOn.values()) {
      clearTimeout(linger);
      await turn.giveBack().catch(() => undefined);
    }
    this.handedOn.clear();
    this.lingering = 0;
    await this.options.turns?.end();
  }

  // One pass for an execution's work item: inside the position's turn (this process's, then the cluster's), claim the
  // position's oldest waiting execution up to this one and attempt it. That is this one unless an older one still
  // waits (received by another process, or left in PostgreSQL): then the older one goes first and this item comes
  // again. The claim, the decision and the order happen inside the turn; so does the end of the attempt, unless the
  // execution has certainly left PENDING (a simulated venue's MARKET fill, recorded inside the turn): then its end
  // (the lease, the request and answer, the alert's status) is written after the turn, while the next attempt claims.
  // When another attempt of the position already waits for the turn, the turn across processes is handed to it
  // without giving it back (at most HAND_ON_MAX times in a row): the position's next order costs no lock round trip.
  private async execute(executionId: string, turn: Turn, lane: Lane): Promise<Outcome> {
    // Ends of attempts written after the turn (one statement for a batch's), then the queued items it took are settled
    const afterTurn: AttemptEnd[] = [];
    let settle = () => undefined as void;
    try {
      return await this.inTurn(executionId, turn, lane, afterTurn, (taken) => (settle = taken));
    } finally {
      try {
        if (afterTurn.length) {
          // The fills' events (published as each fill was written) reach the subscribers' sockets first: their
          // delivery runs in microtasks, and this statement's write, issued among them, handed the CPU to PostgreSQL
          // before ORDER_FILLED was sent (issue 13: alert -> ORDER_FILLED)
          await new Promise((resolve) => setImmediate(resolve));
          await finishAttempts(this.sql, afterTurn);
        }
      } finally {
        settle();
      }
    }
  }

  private inTurn(
    executionId: string,
    turn: Turn,
    lane: Lane,
    afterTurn: AttemptEnd[],
    took: (settle: () => void) => void,
  ): Promise<Outcome> {
    return turn(async (next, queue): Promise<Outcome> => {
      const held = await this.takeTurn(lane);
      // A simulated venue's backlog is claimed as a batch: the executions queued behind this one, in one claim
      const behind = lane.mode === 'PAPER' ? queue.waiting(BATCH_MAX - 1) : [];
      let claim;
      try {
        claim = await claimNext(
          held?.turn.sql ?? this.sql,
          lane,
          [executionId, ...behind],
          this.options.leaseMs,
          this.options.oldestUnsettled(lane.key),
          1 + behind.length,
        );
      } catch (error) {
        this.handOns.delete(lane.key);
        await held?.turn.giveBack().catch(() => undefined);
        throw error;
      }
      // Nothing left to claim for this item (an earlier pass took it): the next attempt waiting gets the turn as it is
      if (claim.kind === 'none' && held && next()) return void this.handedOn.set(lane.key, { turn: held.turn });
      if (claim.kind !== 'claimed') {
        this.handOns.delete(lane.key);
        await held?.turn.giveBack();
        if (claim.kind === 'none') return;
        const afterMs = claim.kind === 'held' ? Math.max(0, claim.until.getTime() - Date.now()) + 10 : BUSY_RETRY_MS;
        if (claim.kind === 'held')
          logger.warn('a position waits for a lease of an attempt that stopped (a process died?)', {
            executionId,
            afterMs,
          });
        return { again: true, afterMs };
      }
      // Attempted one after another in arrival order, each against the position the previous one left; the queued
      // items among them are done when their attempts are (a crash mid-batch leaves the rest leased: recovery)
      const batch = claim.executions;
      took(queue.take(batch.map((claimed) => claimed.id).filter((id) => id !== executionId)));
      let done = 0;
      try {
        for (let i = 0; i < batch.length;) {
          const turnOf = (at: number) => held && { turn: held.turn, fresh: held.fresh && at === 0 };
          // A simulated venue's plain MARKET orders are decided in memory, each against the position the previous one
          // leaves, and placed together: one venue call and one write of their fills (issue 13)
          const run = batch.length - i > 1 ? await this.decideRun(batch.slice(i), turnOf(i)) : [];
          if (run.length > 1) {
            const ends = await this.placeRun(run, turnOf(i), next, i + run.length === batch.length);
            done = i + run.length;
            i = done;
            afterTurn.push(...ends);
            continue;
          }
          const claimed = batch[i];
          const last = i === batch.length - 1;
          const after = await runWithContext({ correlationId: claimed.correlationId }, () =>
            this.attemptClaimed(claimed, turnOf(i), next, last),
          );
          done = i + 1;
          i = done;
          if (after) afterTurn.push(after);
        }
      } catch (error) {
        // An attempt failed past its own failure handling (the database went away mid-batch): the turn, unless the
        // last attempt already gave it back or on, is given back, and the batch's later executions are let go
        if (held && !held.turn.released && this.handedOn.get(lane.key)?.turn !== held.turn) {
          this.handOns.delete(lane.key);
          await held.turn.giveBack().catch(() => undefined);
        }
        await this.letGo(lane, batch.slice(done + 1));
        throw error;
      }
      return batch.some((claimed) => claimed.id === executionId) ? undefined : { again: true };
    });
  }

  // Claimed executions of a batch never attempted: their leases go and they are queued again (if the database is
  // gone, the leases run out and the recovery sweep finds them)
  private async letGo(lane: Lane, executions: ClaimedExecution[]): Promise<void> {
    if (executions.length === 0) return;
    await releaseClaims(
      this.sql,
      executions.map((e) => e.id),
    ).catch(() => undefined);
    for (const e of executions) this.scheduler.offer(lane, { id: e.id, correlationId: e.correlationId });
  }

  // The position's turn across processes: the one the previous attempt of this process handed on, or taken now.
  // `fresh`: taken now, so its position is the one the previous holder left (a handed-on turn's is older than the
  // claim's own read, made inside the turn after this process's previous fill).
  private async takeTurn(lane: Lane): Promise<{ turn: HeldTurn; fresh: boolean } | undefined> {
    const handed = this.handedOn.get(lane.key);
    if (handed) {
      this.handedOn.delete(lane.key);
      if (handed.linger) {
        clearTimeout(handed.linger);
        this.lingering -= 1;
      }
      return { turn: handed.turn, fresh: false };
    }
    const turns = this.options.turns;
    return turns ? { turn: await turns.take(lane.key, lane), fresh: true } : undefined;
  }

  // Returns the end of the attempt when it is to be written after the turn (the execution left PENDING inside it).
  // `last`: no execution of the batch follows in this turn (else the turn is kept for the next one)
  private async attemptClaimed(
    claimed: ClaimedExecution,
    held: { turn: HeldTurn; fresh: boolean } | undefined,
    next: () => boolean,
    last: boolean,
    lookFirst = false,
  ): Promise<AttemptEnd | undefined> {
    let placed: Placement | undefined;
    const key = positionKey(claimed.strategyId, claimed.symbol, claimed.mode);
    try {
      const strategy = await this.strategies.byId(claimed.strategyId);
      if (!strategy) throw new Error(`strategy ${claimed.strategyId} of execution ${claimed.id} is missing`);
      placed = await this.attempt(
        { ...claimed, strategy },
        key,
        held?.fresh ? held.turn.position : undefined,
        lookFirst,
      );
    } catch (error) {
      await this.failures.handle(claimed.id, claimed.attempt, error);
    }
    return this.endAttempt(claimed, placed, held, next, last, key);
  }

  // The end of an attempt: written now, or returned to be written after the turn (the execution left PENDING inside
  // it); the last of the turn hands the turn on, keeps it lingering, or gives it back with its end
  private async endAttempt(
    claimed: ClaimedExecution,
    placed: Placement | undefined,
    held: { turn: HeldTurn; fresh: boolean } | undefined,
    next: () => boolean,
    last: boolean,
    key: string,
  ): Promise<AttemptEnd | undefined> {
    const finish = () => finishAttempt(this.sql, claimed.id, placed);
    if (!held) return void (await finish());
    const later = placed && this.filledInTurn(placed) ? { executionId: claimed.id, placed } : undefined;
    if (!last) return later ?? void (await finish());
    const waiting = next();
    const handOn = (this.handOns.get(key) ?? 0) < HAND_ON_MAX && (waiting || this.mayLinger());
    if (!handOn) {
      this.handOns.delete(key);
      // The attempt's last statement gives the position's turn back (on the turn's connection)
      return void (await held.turn.finish((sql) => finishAttempt(sql, claimed.id, placed, key)));
    }
    this.handOns.set(key, (this.handOns.get(key) ?? 0) + 1);
    this.handedOn.set(key, waiting ? { turn: held.turn } : { turn: held.turn, linger: this.linger(key, held.turn) });
    return later ?? void (await finish());
  }

  // The longest run of executions, from the first, that are plain MARKET orders to a venue placing them together
  // (has.batchPlacement, filling on placement), decided now in memory, each against the position the previous one
  // leaves: a paper MARKET order fills whole, so that position is known before anything is written. Decided with
  // attempt()'s rules; any execution that would need more (a retry, a rejection, a deferral, a position check, a
  // daily loss limit, legs, another account) ends the run, and is attempted on its own after the run is placed.
  private async decideRun(
    executions: ClaimedExecution[],
    held: { turn: HeldTurn; fresh: boolean } | undefined,
  ): Promise<Decided[]> {
    const run: Decided[] = [];
    let position: D | undefined;
    for (const execution of executions) {
      const decided = await this.decideInMemory(execution, run[0], () =>
        position
          ? Promise.resolve(position)
          : this.planningPosition(
              held?.fresh
                ? { ...execution, positionQty: held.turn.position.qty, positionRevision: held.turn.position.revision }
                : execution,
              positionKey(execution.strategyId, execution.symbol, execution.mode),
              true,
            ),
      ).catch(() => null);
      if (!decided) break;
      run.push(decided);
      position = decided.after;
    }
    return run;
  }

  private async decideInMemory(
    execution: ClaimedExecution,
    first: Decided | undefined,
    positionNow: () => Promise<D>,
  ): Promise<Decided | null> {
    if (execution.attempt !== 1 || execution.source === 'exit' || !execution.brokerAccountId) return null;
    if ((execution.positionCheck as { prevMarketPosition?: unknown } | null | undefined)?.prevMarketPosition)
      return null;
    const strategy = await this.strategies.byId(execution.strategyId);
    if (!strategy || strategy.maxDailyLoss) return null;
    if (await newOrderRefusal(execution, strategy, this.killSwitch)) return null;
    const route = await this.router.routeFor(routedExecution(execution));
    if (!route || execution.mode === 'LIVE') return null;
    const plugin = this.brokers.plugin(route.broker);
    if (!plugin.manifest.has.batchPlacement || !this.brokers.fillsOnPlacement(route.broker)) return null;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    if (!client.placeOrders) return null;
    if (
      first &&
      (first.client.broker !== client.broker ||
        first.client.accountId !== client.accountId ||
        first.execution.exchangeSegment !== execution.exchangeSegment)
    )
      return null;
    if (!this.marketHours.check(execution.mode, execution.exchangeSegment).open) return null;
    const position = await positionNow();
    const plan = planPlacement(
      execution,
      strategy,
      position,
      plugin.manifest.features,
      this.options.stopLimitBandPercent ?? '2',
    );
    if (!plan.ok) return null;
    const request = plan.request;
    if (request.type !== 'MARKET') return null;
    const freeze = await this.options.freezeQuantity?.(strategy, execution);
    if (freeze && splitAtFreeze(plan.qty, new D(freeze), new D(execution.lotSize ?? 1))) return null;
    return {
      execution,
      client,
      request,
      sent: { qty: money(plan.qty), broker: route.broker, request, plan: plan.decision },
      replanned: !plan.qty.eq(execution.qty) || plan.side !== execution.side,
      after: plan.side === 'BUY' ? position.plus(plan.qty) : position.minus(plan.qty),
    };
  }

  // A decided run placed in one venue call; its fills are written in one statement as they come back
  // (OrderUpdatesService.expectBatch). If the call fails, any of its orders may have been placed: each execution is
  // then attempted on its own, looking at the venue first, as a retry does. Returns the ends to write after the turn.
  private async placeRun(
    run: Decided[],
    held: { turn: HeldTurn; fresh: boolean } | undefined,
    next: () => boolean,
    last: boolean,
  ): Promise<AttemptEnd[]> {
    const client = run[0].client;
    for (const { execution, sent, replanned } of run)
      this.updates.expectFills(execution.clientOrderId, {
        strategyId: execution.strategyId,
        symbol: execution.symbol,
        mode: execution.mode,
        ...(replanned && { plannedQty: sent.qty }),
      });
    const fills = this.updates.expectBatch(run.map((d) => d.execution.clientOrderId));
    let orders: Order[];
    try {
      orders = await client.placeOrders!(run.map((d) => d.request));
      if (orders.length !== run.length)
        throw new UnknownOutcomeError(`placeOrders answered ${orders.length} orders for ${run.length}`, {
          broker: client.broker,
        });
    } catch (error) {
      await fills.close();
      logger.warn('a batch placement failed: its orders are attempted one at a time', {
        orders: run.length,
        error: (error as Error).message,
      });
      const ends: AttemptEnd[] = [];
      for (const [i, { execution }] of run.entries()) {
        const end = await runWithContext({ correlationId: execution.correlationId }, () =>
          this.attemptClaimed(
            execution,
            held && i === 0 ? held : held && { ...held, fresh: false },
            next,
            last && i === run.length - 1,
            true,
          ),
        );
        if (end) ends.push(end);
      }
      return ends;
    }
    await fills.close();
    const ends: AttemptEnd[] = [];
    const key = positionKey(run[0].execution.strategyId, run[0].execution.symbol, run[0].execution.mode);
    for (const [i, { execution, sent }] of run.entries()) {
      const order = orders[i];
      let placed: Placement | undefined;
      await runWithContext({ correlationId: execution.correlationId }, async () => {
        try {
          await this.adopt(client, order, this.readsFills(client.broker));
          placed = {
            ...sent,
            response: order.raw ?? order,
            brokerOrderId: order.brokerOrderId,
            algoId: order.exchangeAlgoId,
          };
        } catch (error) {
          await this.failures.handle(execution.id, execution.attempt, error);
        }
      });
      const end = await this.endAttempt(execution, placed, held, next, last && i === run.length - 1, key);
      if (end) ends.push(end);
    }
    return ends;
  }

  private mayLinger(): boolean {
    if (!this.options.turnLingerMs) return false;
    return this.lingering < Math.max(1, Math.floor(this.options.concurrency / 4));
  }

  // Kept for the position's next alert for turnLingerMs, then given back (a statement of its own, off the order path)
  private linger(key: string, turn: HeldTurn): NodeJS.Timeout {
    this.lingering += 1;
    const timer = setTimeout(() => {
      if (this.handedOn.get(key)?.turn !== turn) return;
      this.handedOn.delete(key);
      this.handOns.delete(key);
      this.lingering -= 1;
      turn
        .giveBack()
        .catch((error: unknown) => logger.warn('a position turn was not given back', { key, error: String(error) }));
    }, this.options.turnLingerMs);
    timer.unref();
    return timer;
  }

  // The order filled inside placeOrder and its fill was recorded in the turn: the execution is no longer PENDING, so
  // nothing the next attempt reads or claims depends on the rest of its end
  private filledInTurn(placed: Placement): boolean {
    return this.brokers.fillsOnPlacement(placed.broker) && (placed.request as OrderRequest).type === 'MARKET';
  }

  // Returns what it placed (recorded when the attempt ends); nothing when it rejected, or adopted an order
  // an earlier attempt had placed.
  private async attempt(
    execution: ClaimedExecution & { strategy: StrategySnapshot },
    turn: string,
    at?: PositionAtTurn,
    lookFirst = false,
  ): Promise<Placement | undefined> {
    const attempt = execution.attempt;
    const strategy = execution.strategy;
    const refusal = await newOrderRefusal(execution, strategy, this.killSwitch);
    if (refusal) return void (await this.failures.reject(execution.id, refusal.reason, refusal.message));
    // The target or stop leg of a native bracket filled at the broker: this exit execution books it, sends nothing
    const leg = execution.source === 'exit' ? await bracketLegOf(this.sql, execution.id) : null;
    // The broker and account the execution was accepted for (and, once placed, placed with), not the strategy's now
    const route = await this.router.routeFor(routedExecution(execution));
    // A filled leg is a fact and is never refused: without its account it is retried (failures.handle), and a dead
    // letter once the attempts run out; the account connected again, a retry books it
    if (!route && leg)
      throw new BrokerUnavailableError(`no connected ${execution.broker} account to book the filled bracket leg`, {
        broker: execution.broker,
      });
    if (!route)
      return void (await this.failures.reject(
        execution.id,
        'broker_not_connected',
        `no connected ${execution.broker} account`,
      ));
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    if (leg) return this.adoptBracketLeg(client, execution, leg, route.broker);

    // Any earlier attempt (or a batch placement that failed) may have reached the broker: look before sending again
    if (attempt > 1 || lookFirst) {
      const existing = await this.findAtBroker(client, execution.clientOrderId);
      if (existing) return void (await this.adopt(client, existing, true));
      // Legs of it may be out (split at the freeze limit): the rest go as decided then, never planned again
      const stored = await requestOf(this.sql, execution.id);
      if (stored?.split) {
        const { split: _split, ...request } = stored;
        if (await this.legs.resume(client, execution.id, execution.clientOrderId, request as OrderRequest)) return;
      }
    }

    // Paper trades in its segment's session only: outside it the order waits for the next open, or is refused
    const session = this.marketHours.check(execution.mode, execution.exchangeSegment);
    if (!session.open) {
      if (strategy.afterMarketOrders)
        return void (await this.failures.defer(execution.id, session.nextOpen, 'market_closed', session.message));
      return void (await this.failures.reject(execution.id, 'market_closed', session.message));
    }
    if (!execution.brokerAccountId) await recordAccount(this.sql, execution.id, route.accountId);

    // A simulated venue fills inside placeOrder, in this process; a broker's fills arrive later
    const fillsInProcess = this.brokers.fillsOnPlacement(route.broker);
    const planning = at ? { ...execution, positionQty: at.qty, positionRevision: at.revision } : execution;
    let position = await this.planningPosition(planning, turn, fillsInProcess);
    // An order against the position (an EXIT, a flatten, a reversal) first cancels the broker's bracket legs, so
    // they cannot close the position a second time
    const against = execution.side === 'EXIT' || (execution.side === 'BUY' ? position.lt(0) : position.gt(0));
    if (against && execution.mode === 'LIVE' && this.brokers.plugin(route.broker).manifest.has.bracketOrders) {
      const closedBy = await this.cancelBrackets(client, execution);
      if (closedBy && execution.side === 'EXIT')
        return void (await this.failures.reject(
          execution.id,
          'no_position',
          `the broker's bracket closed the position (its ${closedBy} leg filled) before this EXIT`,
        ));
      // A cancelled entry that had not filled no longer counts as working
      position = await this.planningPosition(planning, turn, fillsInProcess);
    }
    await this.options.positionCheck?.review(execution, position, strategy);
    const plan = planPlacement(
      execution,
      strategy,
      position,
      this.brokers.plugin(route.broker).manifest.features,
      this.options.stopLimitBandPercent ?? '2',
    );
    if (!plan.ok) return void (await this.failures.reject(execution.id, plan.reason, plan.message));

    const request = plan.request;
    const sent = { qty: money(plan.qty), broker: route.broker, request, plan: plan.decision };
    // A fill completes the execution when it reaches the execution's qty. When the plan changed that qty or side (a
    // reversal, a reduce-only cut, an EXIT, TradingView's market_position) the fill must measure against the planned
    // qty, and the working-orders read must see the planned side: a paper MARKET order fills inside placeOrder, in
    // this process, so the planned qty reaches its fill in memory; an order that can fill later, or through another
    // process (a postback), has the request written before it is sent. Either way the request is recorded with the
    // broker's answer when the attempt ends.
    const replanned = !plan.qty.eq(execution.qty) || plan.side !== execution.side;
    const fillsHere = fillsInProcess && request.type === 'MARKET';
    if (replanned && !fillsHere) await recordRequest(this.sql, execution.id, sent);
    this.updates.expectFills(execution.clientOrderId, {
      strategyId: strategy.id,
      symbol: execution.symbol,
      mode: execution.mode,
      ...(replanned && { plannedQty: sent.qty }),
    });
    const bracket =
      execution.mode === 'LIVE' && this.brokers.plugin(route.broker).manifest.has.bracketOrders
        ? chooseBracket({
            mode: execution.mode,
            source: execution.source,
            side: execution.side,
            plannedSide: plan.side,
            position,
            request,
            exits: await exitsOf(this.sql, execution.id),
            manifest: this.brokers.plugin(route.broker).manifest,
            canPlace: Boolean(client.placeBracketOrder),
            disabled: this.options.nativeBrackets === false,
          })
        : null;
    if (bracket?.native) {
      // Recorded before it is sent: the entry's fill (a postback, another process) must find it a bracket, so no
      // emulated plan is armed for it
      const placed = { ...sent, request: { ...request, bracket: bracket.levels } };
      await recordRequest(this.sql, execution.id, placed);
      const order = await client.placeBracketOrder!(bracketRequest(request, bracket.levels));
      await this.updates.applyOrder(entryOrderOf(order));
      this.readBack.follow(execution.id);
      return { ...placed, response: order.raw ?? order, brokerOrderId: order.brokerOrderId };
    }
    const legs = await this.placeLegs(client, execution, strategy, sent, fillsInProcess);
    if (legs !== undefined) return legs ?? undefined;
    const order = await client.placeOrder(request).catch(async (error: unknown) => {
      await recordRequest(this.sql, execution.id, sent);
      throw error;
    });
    // A streaming broker delivers the fills through the subscription already; reading them back here would
    // only repeat that work on the hot path (the order poll still catches any the stream missed)
    await this.adopt(client, order, this.readsFills(route.broker));
    // A broker's fill comes later, and its socket or postback may never bring it: read the order back soon
    if (!fillsInProcess && OPEN_ORDER_STATUSES.has(order.status)) this.readBack.follow(execution.id);
    return { ...sent, response: order.raw ?? order, brokerOrderId: order.brokerOrderId, algoId: order.exchangeAlgoId };
  }

  // A streaming broker delivers the fills through the subscription already
  private readsFills(broker: string): boolean {
    return this.brokers.plugin(broker).manifest.has.orderUpdates !== 'stream';
  }

  // Above the instrument's exchange freeze limit the order goes as legs of this one execution (order-legs.ts):
  // undefined when one order carries it, null when it was refused here
  private async placeLegs(
    client: BrokerClient,
    execution: ClaimedExecution,
    strategy: StrategySnapshot,
    sent: Omit<Placement, 'response'> & { request: OrderRequest },
    fillsInProcess: boolean,
  ): Promise<Placement | null | undefined> {
    const freeze = await this.options.freezeQuantity?.(strategy, execution);
    const quantities = freeze ? splitAtFreeze(new D(sent.qty), new D(freeze), new D(execution.lotSize ?? 1)) : null;
    if (!quantities) return undefined;
    const sliced = this.brokers.plugin(client.broker).manifest.has.sliceOrders && Boolean(client.placeSlicedOrder);
    if (!sliced && quantities.length > MAX_LEGS) {
      await this.failures.reject(
        execution.id,
        'invalid_quantity',
        `${sent.qty} units would be ${quantities.length} orders at the exchange freeze limit of ${freeze}: at most ${MAX_LEGS}`,
      );
      return null;
    }
    const split = {
      via: sliced ? 'slicing' : 'legs',
      freezeQuantity: new D(freeze!).toFixed(),
      ...(!sliced && { legs: quantities.map((q) => q.toFixed()) }),
    };
    const recorded = { ...sent, request: { ...sent.request, split } };
    // Written before any leg goes: a fill measures against the whole quantity, a retry finds how it was split
    await recordRequest(this.sql, execution.id, recorded);
    this.updates.expectFills(execution.clientOrderId, {
      strategyId: strategy.id,
      symbol: execution.symbol,
      mode: execution.mode,
      plannedQty: sent.qty,
    });
    const orders = sliced
      ? await this.legs.placeSliced(client, execution.id, execution.clientOrderId, sent.request)
      : await this.legs.placeCore(client, execution.id, execution.clientOrderId, sent.request, quantities);
    if (!fillsInProcess) this.readBack.follow(execution.id);
    return {
      ...recorded,
      response: orders.map((o) => o.raw ?? o),
      brokerOrderId: orders[0]?.brokerOrderId,
      algoId: orders[0]?.exchangeAlgoId,
    };
  }

  // Legs a crashed process left unsent (found by the recovery sweep): sent now, each looked up at the broker first
  async resumeLegs(executionId: string): Promise<void> {
    if (!(await claimLegs(this.sql, executionId, this.options.leaseMs))) return;
    try {
      const ref = await orderRefOf(this.sql, executionId);
      const stored = await requestOf(this.sql, executionId);
      const route = ref && (await this.router.routeFor(ref));
      if (!ref || !route || !stored?.split) return;
      // The kill switch stops new orders, and a leg not sent yet is one
      if (await this.killSwitch.isOn())
        return await this.updates.stopLegs(executionId, ref.clientOrderId, 'legs not sent: the kill switch is on');
      const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
      const { split: _split, ...request } = stored;
      await this.legs.resume(client, executionId, ref.clientOrderId, request as OrderRequest);
    } finally {
      await releaseLegs(this.sql, executionId);
    }
  }

  // The position an attempt plans against. Paper: the previous order of the turn has filled in this process, but
  // the claim may have read the position before that, so the newer of the two wins (with several processes, the
  // position read when the turn was taken stands for the claim's: it has the fills of every process). A broker's orders may still
  // be working: see working-orders.sql.ts.
  private async planningPosition(execution: ClaimedExecution, turn: string, fillsInProcess: boolean): Promise<D> {
    if (!fillsInProcess) {
      return new D(
        await positionWithWorkingOrders(this.sql, {
          strategyId: execution.strategyId,
          symbol: execution.symbol,
          mode: execution.mode,
          excludeId: execution.id,
        }),
      );
    }
    const known = this.updates.knownPosition(turn);
    const newer = known && (execution.positionRevision === null || known.revision > execution.positionRevision);
    return new D(newer ? known.qty : execution.positionQty);
  }

  // Poll path for orders resting at the broker: read the order back and record what changed.
  async reconcile(execution: Execution): Promise<void> {
    const route = await this.router.routeFor(routedEntity(execution), this.orm.em.fork());
    if (!route) return;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    const leg = execution.source === 'exit' ? await bracketLegOf(this.sql, execution.id) : null;
    if (leg) return void (await this.readBracketLeg(client, execution.clientOrderId, leg));
    // Split into legs (recorded before any leg went): no order has the execution's own id, its legs are read back
    if ((execution.brokerRequest as { split?: unknown } | null | undefined)?.split)
      return void (await this.legs.readBack(client, execution.id));
    const order = await this.findAtBroker(client, execution.clientOrderId);
    if (order) await this.adopt(client, order, true);
    // An execution split into legs has no order of its own id: its legs are read back
    else await this.legs.readBack(client, execution.id);
  }

  // The read-back after a placement: true while the order is still open at the broker
  private async readBackOrder(executionId: string): Promise<boolean> {
    const ref = await orderRefOf(this.sql, executionId);
    if (!ref || !(OPEN_AT_BROKER as string[]).includes(ref.status)) return false;
    const route = await this.router.routeFor(ref);
    if (!route) return false;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    if (ref.bracketLeg) return this.readBracketLeg(client, ref.clientOrderId, ref.bracketLeg);
    // Split into legs: no order has the execution's own id, its legs are read back
    if (ref.split) return (await this.legs.readBack(client, executionId)) ?? true;
    const order = await this.findAtBroker(client, ref.clientOrderId);
    if (!order) return (await this.legs.readBack(client, executionId)) ?? true;
    await this.adopt(client, order, true);
    return OPEN_ORDER_STATUSES.has(order.status);
  }

  // Cancels where the order was placed (kill switch, a disabled user), whatever the strategy says now
  async cancelAtBroker(execution: Execution): Promise<void> {
    const route = await this.router.routeFor(routedEntity(execution));
    if (!route) return;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    // A native bracket's entry: cancelling its entry leg cancels the whole bracket
    if ((execution.brokerRequest as { bracket?: unknown } | undefined)?.bracket && client.cancelBracketOrder) {
      const ref = {
        clientOrderId: execution.clientOrderId,
        ...(execution.brokerOrderId && { brokerOrderId: execution.brokerOrderId }),
      };
      const bracket = await client.cancelBracketOrder(ref, 'entry');
      return void (await this.updates.applyOrder(entryOrderOf(bracket)));
    }
    const legs = await this.legs.working(execution.id);
    if (legs.length) {
      // One leg's refused cancel must not leave the later legs working: each is tried, the first failure is thrown
      let failure: Error | undefined;
      for (const leg of legs) {
        const ref = {
          clientOrderId: leg.clientOrderId,
          ...(leg.brokerOrderId && { brokerOrderId: leg.brokerOrderId }),
        };
        try {
          await this.updates.applyOrder(await client.cancelOrder(ref));
        } catch (error) {
          logger.error('leg not cancelled', {
            executionId: execution.id,
            leg: leg.leg,
            error: (error as Error).message,
          });
          failure ??= error as Error;
        }
      }
      if (failure) throw failure;
      return;
    }
    const order = await client.cancelOrder({
      clientOrderId: execution.clientOrderId,
      ...(execution.brokerOrderId && { brokerOrderId: execution.brokerOrderId }),
    });
    await this.updates.applyOrder(order);
  }

  // The kill switch: every native bracket still working at a broker is cancelled whole, so no leg trades while
  // trading is halted (its position stays open, as an emulated plan's exits are refused while the switch is on)
  async cancelOpenBrackets(): Promise<number> {
    let cancelled = 0;
    // Unprepared (planned per run): it reads every LIVE bracket of the week, once per switch
    for (const entry of await workingBrackets(emSql(this.orm.em.fork()))) {
      try {
        const route = await this.router.routeFor({
          mode: entry.mode,
          broker: entry.broker,
          accountId: entry.brokerAccountId,
          strategyId: entry.strategyId,
          userId: entry.userId,
        });
        if (!route) continue;
        const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
        if (!client.getBracketOrder || !client.cancelBracketOrder) continue;
        const ref = {
          clientOrderId: entry.clientOrderId,
          ...(entry.brokerOrderId && { brokerOrderId: entry.brokerOrderId }),
        };
        if (!bracketWorking(await client.getBracketOrder(ref))) continue;
        const after = await client.cancelBracketOrder(ref, 'entry');
        if (entry.status !== 'FILLED') await this.updates.applyOrder(entryOrderOf(after));
        cancelled++;
      } catch (error) {
        logger.error('native bracket not cancelled', { executionId: entry.id, error: (error as Error).message });
      }
    }
    return cancelled;
  }

  // The position's native brackets still working at the broker are cancelled whole (entry leg: every leg). Returns
  // the exit leg that had already filled, if one had (the broker closed the position itself meanwhile).
  private async cancelBrackets(client: BrokerClient, execution: ClaimedExecution): Promise<string | null> {
    if (!client.getBracketOrder || !client.cancelBracketOrder) return null;
    let filledLeg: string | null = null;
    for (const entry of await openBrackets(this.sql, execution)) {
      const ref = {
        clientOrderId: entry.clientOrderId,
        ...(entry.brokerOrderId && { brokerOrderId: entry.brokerOrderId }),
      };
      let bracket = await client.getBracketOrder(ref).catch((error: unknown) => {
        if (error instanceof OrderNotFoundError) return null;
        throw error;
      });
      if (bracket && bracketWorking(bracket)) {
        bracket = await client.cancelBracketOrder(ref, 'entry').catch(async (error: unknown) => {
          // An exit leg filled between the read and the cancel: the bracket is over, read it again
          if (error instanceof BrokerError && !error.retryable) return client.getBracketOrder!(ref);
          throw error;
        });
        logger.info('native bracket cancelled before an order against its position', {
          executionId: execution.id,
          bracketOf: entry.id,
        });
        if (entry.status !== 'FILLED') await this.updates.applyOrder(entryOrderOf(bracket));
      }
      const leg = bracket?.legs.find((l) => l.leg !== 'entry' && new D(l.filledQuantity).gt(0));
      if (leg) filledLeg = leg.leg;
    }
    return filledLeg;
  }

  // A bracket's exit leg as this exit execution's order: the leg's reports under the execution's own clientOrderId
  private async adoptBracketLeg(
    client: BrokerClient,
    execution: ClaimedExecution,
    leg: BracketLegRef,
    broker: string,
  ): Promise<Placement | undefined> {
    const request = { bracketLeg: leg };
    const placed = { qty: leg.qty, broker, request };
    await recordRequest(this.sql, execution.id, placed);
    this.updates.expectFills(execution.clientOrderId, {
      strategyId: execution.strategyId,
      symbol: execution.symbol,
      mode: execution.mode,
      plannedQty: leg.qty,
    });
    // Still working (a partial fill): read back until it ends, as any order
    if (await this.readBracketLeg(client, execution.clientOrderId, leg)) this.readBack.follow(execution.id);
    return { ...placed, response: null, brokerOrderId: leg.brokerOrderId };
  }

  // Reads a bracket leg back and records it (and its fills) on its exit execution; true while it is still open
  private async readBracketLeg(client: BrokerClient, clientOrderId: string, leg: BracketLegRef): Promise<boolean> {
    const order = await client.getOrder({ brokerOrderId: leg.brokerOrderId, clientOrderId });
    await this.updates.applyOrder({ ...order, clientOrderId });
    if (new D(order.filledQuantity).gt(0) && client.listFills) {
      const fills = await client.listFills({ symbol: order.instrument.symbol });
      for (const fill of fills.filter((f) => f.brokerOrderId === leg.brokerOrderId))
        await this.updates.applyFill({ ...fill, clientOrderId });
    }
    return OPEN_ORDER_STATUSES.has(order.status);
  }

  private async findAtBroker(client: BrokerClient, ref: string | OrderRef): Promise<Order | null> {
    const clientOrderId = typeof ref === 'string' ? ref : ref.clientOrderId!;
    try {
      return await client.getOrder(typeof ref === 'string' ? { clientOrderId } : ref);
    } catch (error) {
      if (error instanceof OrderNotFoundError) return null;
      // Cannot tell whether the order exists: sending now could double it
      throw error instanceof BrokerError && !error.retryable
        ? error
        : new UnknownOutcomeError(`could not look up ${clientOrderId}: ${(error as Error).message}`, {
            broker: client.broker,
            cause: error,
          });
    }
  }

  // Records the order state and any fills the broker already has (fills also stream in through the subscription).
  private async adopt(client: BrokerClient, order: Order, readFills: boolean): Promise<void> {
    await this.updates.applyOrder(order);
    if (readFills && new D(order.filledQuantity).gt(0) && client.listFills) {
      const fills = await client.listFills({ symbol: order.instrument.symbol });
      for (const fill of fills.filter((f) => f.clientOrderId === order.clientOrderId))
        await this.updates.applyFill(fill);
    }
  }

  async clientFor(
    broker: string,
    accountId: string,
    credentials: Record<string, string>,
    version: string,
  ): Promise<BrokerClient> {
    const key = `${broker}:${accountId}:${version}`;
    const client = await this.brokers.client(broker, accountId, credentials, version);
    // Checked after the await: concurrent first attempts on one account all get here, and exactly one subscribes
    // (checking before it subscribed every one of them, and each update was then applied once per subscription)
    if (!this.subscribed.has(key)) {
      this.subscribed.add(key);
      client.subscribeOrderUpdates(this.updates.handler(broker), {
        onError: (error) =>
          logger.warn('order update stream problem', {
            broker,
            error: isBrokerError(error) ? error.code : String(error),
          }),
      });
    }
    return client;
  }
}

// An execution of a run decided in memory (decideRun): its order, and the position after its fill
type Decided = {
  execution: ClaimedExecution;
  client: BrokerClient;
  request: OrderRequest;
  sent: Omit<Placement, 'response'> & { request: OrderRequest };
  replanned: boolean;
  after: D;
};

const routedExecution = (e: ClaimedExecution): RoutedExecution => ({
  mode: e.mode,
  broker: e.broker,
  accountId: e.brokerAccountId,
  strategyId: e.strategyId,
  userId: e.userId,
});

const routedEntity = (e: Execution): RoutedExecution => ({
  mode: e.mode,
  broker: e.broker,
  accountId: e.brokerAccountId ?? null,
  strategyId: e.strategy.id,
  userId: e.user.id,
});
