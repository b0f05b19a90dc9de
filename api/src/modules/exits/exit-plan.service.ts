import type { Sql } from '../../db/sql';
import { AppPubSub, TOPICS } from '../../graphql/pubsub';
import { D } from '../../shared/decimal';
import { formatIstTime } from '../../shared/inr';
import { ExecutionEventType } from '../../shared/enums';
import { KeyedQueue } from '../../shared/keyed-queue';
import { logger } from '../../shared/logger';
import type { ExecutionEventMessage } from '../executions/execution-event.types';
import { acceptedFor, type ExecutorService } from '../executions/placement/executor.service';
import type { AlertIntakeService } from '../alerts/alert-intake.service';
import { loadStrategy } from '../strategies/strategy-snapshot';
import { initialLevels, type PlanSide, stepLevels } from './exit-levels';
import type { PlanQuotes } from './plan-quotes';
import type { NativeBrackets } from './native-brackets';
import { hasExits, type ExitSpec } from './exit-spec';
import type { OpenPlans } from './open-plans';
import { RecentMap } from '../../shared/recent-map';
import {
  activeForTicker,
  activeLivePlans,
  claimTrigger,
  endPlans,
  exitKey,
  expiredPlans,
  insertPlan,
  insertPlanEvents,
  levelsOf,
  rearmPlan,
  refusedExits,
  type RefusedExit,
  type PlanEvent,
  type PlanRow,
  recordExitExecution,
  replacePlans,
  saveLevels,
  strandedPlans,
  unplannedEntries,
  unsentTriggers,
} from './exit-plans.sql';

// An order accepted in this process: its position, and whether its alert carried exits (issue 13)
type AcceptedEntry = { strategyId: string; symbol: string; mode: string; exits: boolean };
const MAX_ACCEPTED = 10_000;

type FilledEntry = {
  id: string;
  strategy_id: string;
  user_id: string;
  alert_id: string;
  correlation_id: string;
  symbol: string;
  mode: string;
  side: string;
  source: string;
  avg_fill_price: string | null;
  exits: ExitSpec | null;
  ticker: string | null;
  native: boolean;
};

const ENTRY_SQL = `select e.id, e.strategy_id, e.user_id, e.alert_id, e.correlation_id, e.symbol, e.mode,
  coalesce(e.plan->>'side', e.side) as side, e.source, e.avg_fill_price::text, a.payload->'exits' as exits,
  a.payload->>'exitTicker' as ticker, e.broker_request->'bracket' is not null as native
  from executions e join alerts a on a.id = e.alert_id where e.id = ?`;

// Exits attached to a signal, emulated by the core for every broker (issue 18). After an entry fills, a plan is
// stored with its levels; each price observed for the strategy's ticker (an alert's price, a PRICE alert) is judged
// against the plan: a crossed stop or target sends ONE EXIT through the normal pipeline (idempotency key
// exit:<plan id>, so a crash, a replay or a second process cannot send two), and the other side is then void (OCO).
// The trail and breakeven move the stop; exit_after is judged by the recovery sweep. A fill that leaves the position
// flat or on the other side ends the plan. All state is in exit_plans: a restart resumes from the table.
// Every 4th recovery sweep (1 minute at the default 15 s) looks for entries whose plan was never made
const CATCH_UP_EVERY = 4;

export class ExitPlanService {
  private iterator?: AsyncIterator<ExecutionEventMessage>;
  // One position's fills and prices are judged one after another in this process (the revision guards the others)
  private readonly turns = new KeyedQueue();
  private readonly pending = new Set<Promise<unknown>>();
  private sweeps = 0;
  // The broker's live prices for LIVE plans where the plugin declares market data (set at wiring time)
  quotes?: PlanQuotes;
  // The sweep's catch-up statement, planned on each run with the tables' current statistics (set at wiring time):
  // a prepared statement keeps a plan made while the tables were empty, and this one reads every open position
  adHoc?: Sql;
  // Entries that went as the broker's native bracket (set at wiring time): observed, never armed here
  native?: NativeBrackets;
  // Whether a strategy may have an open plan, from memory (set at wiring time): without it every price and every
  // fill reads exit_plans
  openPlans?: OpenPlans;
  // Orders accepted here lately (see accepted): a fill of one without exits reads nothing while its strategy has no
  // open plan
  private readonly acceptedHere = new RecentMap<string, AcceptedEntry>(MAX_ACCEPTED);

  constructor(
    private readonly sql: Sql,
    private readonly pubSub: AppPubSub,
    private readonly intake: AlertIntakeService,
    private readonly executor: ExecutorService,
  ) {}

  // Fills are heard from this process's own events (the process that recorded a fill plans it: once in the cluster)
  start(): void {
    const iterator = this.pubSub.subscribeOwn(TOPICS.EXECUTION_EVENT)[Symbol.asyncIterator]();
    this.iterator = iterator;
    const loop = async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const event = next.value;
        // An exit's order refused or cancelled by the broker, or a dead letter: its plan is armed again
        if (
          event.type === ExecutionEventType.ORDER_REJECTED ||
          event.type === ExecutionEventType.ORDER_CANCELLED ||
          (event.type === ExecutionEventType.ERROR && (event.payload as { deadLetter?: boolean } | null)?.deadLetter)
        )
          this.track(this.rearm(event.executionId, event.strategyId));
        if (event.type !== ExecutionEventType.ORDER_FILLED) continue;
        const payload = event.payload as { complete?: boolean; position?: { qty?: string } } | null;
        if (!payload?.position?.qty) continue;
        this.track(this.onFill(event.executionId, payload.position.qty, Boolean(payload.complete)));
      }
    };
    void loop().catch((error) => logger.error('exit plans stopped listening', { error: (error as Error).message }));
    // A restart makes the plans a crash left unmade, and resumes the price feeds of the plans left active
    this.track(this.catchUp());
    if (this.quotes) this.track(this.resumeFeeds());
    if (this.native) this.track(this.native.resume());
  }

  private async resumeFeeds(): Promise<void> {
    for (const plan of await activeLivePlans(this.sql)) this.watch(plan);
  }

  private watch(plan: PlanRow): void {
    if (this.quotes) this.track(this.quotes.watch(plan));
  }

  async stop(): Promise<void> {
    await this.iterator?.return?.();
    this.quotes?.close();
    this.native?.stop();
    await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<unknown>): void {
    const done = work
      .catch((error) => logger.error('exit plan work failed', { error: (error as Error).message }))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  // The intake accepted an order in this process (its alert's exits, if any, are stored with it and never change)
  accepted(entry: { executionId: string; strategyId: string; symbol: string; mode: string; exits: boolean }): void {
    if (this.openPlans) this.acceptedHere.set(entry.executionId, entry);
  }

  // A fill moved a position: plans that no longer match it end; a completed entry with exits gets its plan. The fill
  // of an order accepted here is followed in its position's turn in the order the fills were heard, and an entry
  // without exits whose strategy has no open plan has nothing to do (two statements less per order for most
  // strategies): decided in that turn, after any plan an earlier fill of the position made.
  async onFill(executionId: string, positionQty: string, complete: boolean): Promise<void> {
    const known = this.acceptedHere.get(executionId);
    const openPlans = this.openPlans;
    if (known && openPlans)
      return this.turns.run(`${known.strategyId}:${known.symbol}:${known.mode}`, async () => {
        if (!known.exits && !(await openPlans.mayHaveOpen(known.strategyId))) return;
        const [entry] = await this.sql.query<FilledEntry>(ENTRY_SQL, [executionId]);
        if (entry) await this.followFill(entry, positionQty, complete);
      });
    const [entry] = await this.sql.query<FilledEntry>(ENTRY_SQL, [executionId]);
    if (!entry) return;
    await this.turns.run(`${entry.strategy_id}:${entry.symbol}:${entry.mode}`, () =>
      this.followFill(entry, positionQty, complete),
    );
  }

  // In the position's turn
  private async followFill(entry: FilledEntry, positionQty: string, complete: boolean): Promise<void> {
    const position = new D(positionQty);
    const side: PlanSide | null = position.isZero() ? null : position.isPositive() ? 'LONG' : 'SHORT';
    const reason = entry.source === 'exit' ? 'exit_filled' : side ? 'reversed' : 'position_closed';
    const ended = await endPlans(this.sql, entry.strategy_id, entry.symbol, entry.mode, side, reason);
    if (ended.length) this.openPlans?.changed(entry.strategy_id);
    const events: PlanEvent[] = ended.map((row) => ({
      row,
      payload: { action: 'ended', reason, byExecutionId: entry.id },
    }));
    const entered = (side === 'LONG' && entry.side === 'BUY') || (side === 'SHORT' && entry.side === 'SELL');
    // The broker holds a native bracket's exits (exits/native-brackets.ts): no plan is armed, the bracket is watched
    if (complete && side && entered && entry.native) this.native?.watch(entry.id);
    else if (complete && side && entered && hasExits(entry.exits) && entry.avg_fill_price)
      events.push(...(await this.createPlan(entry, entry.exits, side, entry.avg_fill_price, new Date())));
    await this.emit(events);
  }

  // The entry's plan, levels from its fill price; it replaces the position's plan before it
  private async createPlan(
    entry: Omit<FilledEntry, 'source' | 'avg_fill_price' | 'exits' | 'native'>,
    spec: ExitSpec,
    side: PlanSide,
    fillPrice: string,
    filledAt: Date,
  ): Promise<PlanEvent[]> {
    const levels = initialLevels(spec, side, fillPrice, filledAt);
    const row = await insertPlan(this.sql, {
      strategyId: entry.strategy_id,
      userId: entry.user_id,
      entryExecutionId: entry.id,
      alertId: entry.alert_id,
      correlationId: entry.correlation_id,
      ticker: entry.ticker ?? entry.symbol.toUpperCase(),
      symbol: entry.symbol,
      mode: entry.mode,
      spec,
      levels,
    });
    if (!row) return [];
    this.openPlans?.changed(entry.strategy_id);
    const events: PlanEvent[] = [];
    for (const old of await replacePlans(this.sql, entry.strategy_id, entry.symbol, entry.mode, row.id))
      events.push({ row: old, payload: { action: 'ended', reason: 'replaced', byExecutionId: entry.id } });
    events.push({ row, payload: { action: 'created', ...describe(levels) } });
    this.watch(row);
    return events;
  }

  // Plans a crash (or a failed insert) left unmade after their entry's fill: made now, from the fill's price and
  // time (exit_after counts from the fill), so an open position is never left without its stop
  async catchUp(): Promise<number> {
    let made = 0;
    for (const entry of await unplannedEntries(this.adHoc ?? this.sql))
      await this.turns.run(`${entry.strategy_id}:${entry.symbol}:${entry.mode}`, async () => {
        const side: PlanSide = entry.side === 'BUY' ? 'LONG' : 'SHORT';
        const events = await this.createPlan(entry, entry.exits, side, entry.avg_fill_price, new Date(entry.filled_at));
        if (!events.length) return;
        made++;
        logger.warn('exit plan made late', { entryExecutionId: entry.id });
        events[events.length - 1].payload.late = true;
        await this.emit(events);
      });
    return made;
  }

  // The strategies that may have an open plan (all of them when no open-plans cache is wired)
  private async mayHaveOpen(strategyIds: readonly string[]): Promise<readonly string[]> {
    const openPlans = this.openPlans;
    if (!openPlans) return strategyIds;
    const open = await Promise.all(strategyIds.map((id) => openPlans.mayHaveOpen(id)));
    return strategyIds.filter((_, i) => open[i]);
  }

  // A price for the strategies' ticker (an alert's strategy and its fan-out targets), from an alert, a PRICE alert or
  // the broker's feed. Returns the exits it sent.
  async observe(strategyIds: readonly string[], ticker: string, price: string): Promise<number> {
    const open = await this.mayHaveOpen(strategyIds);
    if (!open.length) return 0;
    const plans = await activeForTicker(this.sql, open, ticker);
    let sent = 0;
    for (const plan of plans)
      sent += await this.turns.run(`${plan.strategy_id}:${plan.symbol}:${plan.mode}`, () => this.judge(plan, price));
    return sent;
  }

  private async judge(plan: PlanRow, price: string): Promise<number> {
    const step = stepLevels(levelsOf(plan), price);
    if (step.trigger) {
      // A refused exit's plan waits out its backoff (the levels stand as they were until then)
      if (plan.retry_after && new Date(plan.retry_after) > new Date()) return 0;
      return (await this.fire(plan, step.trigger.reason, price, step.trigger.level)) ? 1 : 0;
    }
    if (!step.moves.length && step.levels.bestPrice === plan.best_price) return 0;
    if (!(await saveLevels(this.sql, plan, step.levels))) return 0;
    await this.emit(step.moves.map((move) => ({ row: plan, payload: { action: 'stop_moved', ...move } })));
    return 0;
  }

  // The plan's exit: claimed in the table first (one winner per crossing), then sent as an EXIT alert whose key is
  // the plan's and the attempt's
  private async fire(plan: PlanRow, reason: string, price: string | null, level: string | null): Promise<boolean> {
    const attempt = await claimTrigger(this.sql, plan, reason, price);
    if (attempt === null) return false;
    await this.emit([{ row: plan, payload: { action: 'triggered', reason, price, level, attempt } }]);
    await this.send(plan, reason, price, attempt);
    return true;
  }

  private async send(plan: PlanRow, reason: string, price: string | null, attempt: number): Promise<void> {
    const strategy = await loadStrategy(this.sql, plan.strategy_id);
    if (!strategy) return;
    const exitPrice = price ?? (await this.lastPrice(plan));
    // Exits only reduce risk: sent while the strategy is paused (the kill switch still stops them, as /flatten)
    const result = await this.intake.accept(
      { ...strategy, enabled: true },
      {
        secret: '',
        idempotencyKey: exitKey(plan.id, attempt),
        symbol: plan.symbol,
        side: 'EXIT',
        orderType: 'MARKET',
        ...(exitPrice && { price: exitPrice }),
        extras: { source: 'exit', reason, planId: plan.id, attempt },
      },
      '',
      '',
      'exit',
    );
    if (result.kind === 'accepted') {
      await recordExitExecution(this.sql, plan.id, result.executionId);
      this.executor.start(acceptedFor(strategy, result));
    } else if (result.kind === 'rejected') {
      await recordExitExecution(this.sql, plan.id, null);
      logger.warn('exit refused', { planId: plan.id, reason: result.reason });
      await this.refused({ ...plan, exit_attempts: attempt, refusal: result.reason });
    }
  }

  // The exit execution just refused or cancelled, if it was a plan's attempt
  private async rearm(executionId: string, strategyId: string): Promise<void> {
    for (const plan of await refusedExits(this.sql, { executionId, strategyId })) await this.refused(plan);
  }

  // A refused exit leaves the position unguarded: the plan is armed again, so the next price at or through a level
  // retries (a new attempt, a new key), and the owner hears of it (an ERROR event, notified) with the reason
  private async refused(plan: RefusedExit): Promise<void> {
    const row = await rearmPlan(this.sql, plan.id, plan.exit_attempts);
    if (!row) return;
    this.openPlans?.changed(row.strategy_id);
    // Its price feed was let go when it triggered
    this.watch(row);
    const message = `Exit (${plan.exit_reason ?? 'exit'}) refused: ${plan.refusal}. The plan is armed again: a price at or through a level after ${formatIstTime(new Date(row.retry_after!))} retries it.`;
    await this.emit([
      {
        row,
        payload: {
          action: 'exit_failed',
          reason: plan.refusal,
          attempt: plan.exit_attempts,
          retryAfter: row.retry_after,
        },
      },
      { row, type: 'ERROR', payload: { code: 'exit_failed', message, attempt: plan.exit_attempts } },
    ]);
  }

  private async lastPrice(plan: PlanRow): Promise<string | null> {
    const [row] = await this.sql.query<{ last_price: string | null }>(
      `select last_price::text from positions where strategy_id = ? and symbol = ? and mode = ?`,
      [plan.strategy_id, plan.symbol, plan.mode],
    );
    return row?.last_price ?? null;
  }

  // On the recovery sweep's beat: exit_after deadlines, exits claimed but never sent (a crash in between), and
  // plans whose position closed while no process heard the fill. The catch-up of unmade plans (a safety net, made at
  // start too, and its statement reads every open position) runs on every CATCH_UP_EVERY-th sweep only.
  async sweep(): Promise<void> {
    if (++this.sweeps % CATCH_UP_EVERY === 0) await this.catchUp();
    for (const plan of await expiredPlans(this.sql))
      await this.turns.run(`${plan.strategy_id}:${plan.symbol}:${plan.mode}`, () =>
        this.fire(plan, 'exit_after', null, null),
      );
    for (const plan of await unsentTriggers(this.sql))
      await this.send(plan, plan.exit_reason ?? 'stop_loss', null, plan.exit_attempts);
    for (const plan of await refusedExits(this.sql)) await this.refused(plan);
    const stranded = await strandedPlans(this.sql);
    for (const plan of stranded) {
      const ended = await endPlans(this.sql, plan.strategy_id, plan.symbol, plan.mode, null, 'position_closed');
      await this.emit(ended.map((row) => ({ row, payload: { action: 'ended', reason: 'position_closed' } })));
    }
  }

  private async emit(events: PlanEvent[]): Promise<void> {
    if (!events.length) return;
    // A plan that is no longer active needs no prices
    for (const e of events)
      if (e.payload.action === 'ended' || e.payload.action === 'triggered') this.quotes?.release(e.row.id);
    const rows = await insertPlanEvents(this.sql, events);
    const users = new Map(events.map((e) => [e.row.entry_execution_id, e.row.user_id]));
    for (const row of rows)
      this.pubSub.publish(TOPICS.EXECUTION_EVENT, {
        id: row.id,
        type: row.type as ExecutionEventType,
        executionId: row.execution_id,
        alertId: row.alert_id,
        correlationId: row.correlation_id,
        strategyId: row.strategy_id,
        at: new Date(row.at),
        payload: row.payload,
        userId: users.get(row.execution_id)!,
      });
  }
}

const describe = (l: ReturnType<typeof initialLevels>) => ({
  side: l.side,
  entryPrice: l.entryPrice,
  stopPrice: l.stopPrice,
  takeProfitPrice: l.takeProfitPrice,
  trail: l.trail,
  breakevenPrice: l.breakevenPrice,
  expiresAt: l.expiresAt?.toISOString() ?? null,
});
