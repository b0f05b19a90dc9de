import { BrokerClient, BrokerError, isBrokerError, Order, OrderNotFoundError, UnknownOutcomeError } from '@algodatta/broker-sdk';
import { MikroORM } from '@mikro-orm/postgresql';
import { D, money } from '../../shared/decimal';
import { logger } from '../../shared/logger';
import { runWithContext } from '../../shared/request-context';
import { BrokerRouter, PAPER_BROKER } from '../brokers/broker-route';
import { BrokerRegistry } from '../brokers/plugin-registry';
import { KillSwitchService } from '../settings/kill-switch.service';
import type { Sql } from '../../db/sql';
import { loadStrategy, StrategySnapshot } from '../strategies/strategy-snapshot';
import { ClaimedExecution, claimExecution, finishAttempt, Placement, recordRequest } from './execution-claim';
import { Execution } from './execution.entity';
import { FailureHandler } from './failure-handler';
import { buildOrderRequest } from './order-request.builder';
import { OrderUpdatesService } from './order-updates.service';
import { Semaphore } from '../../shared/semaphore';
import { KeyedQueue } from '../../shared/keyed-queue';
import { positionKey } from '../positions/position-key';
import { planOrder } from './order-planner';
import { positionWithWorkingOrders } from './working-orders.sql';

const LEASE_MS = 30_000;
// Sources whose EXIT can only flatten a position (see square-off.service.ts, position-close.service.ts)
const REDUCES_ONLY = new Set(['square_off', 'close']);

type InFlight = { done: Promise<void>; again?: Promise<void> };

// Turns one PENDING execution into at most one broker order. Safe to call from anywhere, any number of times:
// the lease admits one worker, and every attempt after the first asks the broker for our clientOrderId
// before sending anything, so a lost response never becomes a second order.
export class ExecutorService {
  private readonly subscribed = new Set<string>();
  private readonly inFlight = new Map<string, InFlight>();
  // Bounded so executions can never hold every database connection the webhook needs to accept alerts
  private readonly slots: Semaphore;
  // Attempts of one position (strategy, symbol, mode) decide and place one after another in this process, each
  // against the position its predecessor left (a paper fill, or a fill the broker reports with the order, is
  // recorded before the turn ends). Side by side, alerts arriving together all read the same position and
  // together broke the maximum open position, the allowed sides and EXIT. Claims (and the end of an attempt)
  // stay outside the turn, so the next alert's claim overlaps the current order.
  private readonly positionTurns = new KeyedQueue();

  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly updates: OrderUpdatesService,
    private readonly killSwitch: KillSwitchService,
    private readonly failures: FailureHandler,
    concurrency = 4,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  // Fire-and-forget entry used right after the webhook commits: never throws, never blocks the response.
  // The webhook hands over the strategy it already read, so the attempt does not read it again.
  start(executionId: string, correlationId: string, strategy?: StrategySnapshot): void {
    setImmediate(() => {
      runWithContext({ correlationId }, () => this.run(executionId, strategy)).catch((error) => logger.error('execution crashed', { executionId, error }));
    });
  }

  // An id already queued or running here is not queued twice (the recovery sweep and a retry job can both ask).
  // A request that arrives while its previous attempt is still ending (a retry job firing before that attempt
  // released its lease) gets one more pass after it; that pass's claim decides whether anything is left to do.
  run(executionId: string, strategy?: StrategySnapshot): Promise<void> {
    const current = this.inFlight.get(executionId);
    if (current) return (current.again ??= current.done.catch(() => undefined).then(() => this.run(executionId)));
    const entry: InFlight = { done: Promise.resolve() };
    entry.done = this.slots.use(() => this.runOnce(executionId, strategy)).then(() => undefined)
      .finally(() => { if (this.inFlight.get(executionId) === entry) this.inFlight.delete(executionId); });
    this.inFlight.set(executionId, entry);
    return entry.done;
  }

  // Shutdown: attempts in progress finish; queued ones are left PENDING for the next start's recovery sweep.
  async drain(): Promise<void> {
    this.slots.close();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()].map((entry) => entry.done));
  }

  private async runOnce(executionId: string, known?: StrategySnapshot): Promise<void> {
    const claimed = await claimExecution(this.sql, executionId, LEASE_MS);
    if (claimed === null) return;
    let placed: Placement | undefined;
    try {
      const strategy = known?.id === claimed.strategyId ? known : await loadStrategy(this.sql, claimed.strategyId);
      if (!strategy) throw new Error(`strategy ${claimed.strategyId} of execution ${executionId} is missing`);
      const turn = positionKey(claimed.strategyId, claimed.symbol, claimed.mode);
      placed = await this.positionTurns.run(turn, () => this.attempt({ ...claimed, strategy }, turn));
    } catch (error) {
      await this.failures.handle(executionId, claimed.attempt, error);
    } finally {
      await finishAttempt(this.sql, executionId, placed);
    }
  }

  // Returns what it placed (recorded when the attempt ends); nothing when it rejected, or adopted an order
  // an earlier attempt had placed.
  private async attempt(execution: ClaimedExecution & { strategy: StrategySnapshot }, turn: string): Promise<Placement | undefined> {
    const attempt = execution.attempt;
    // Square-off and a trader's close only reduce risk, so they run even while the kill switch halts new orders
    if (!REDUCES_ONLY.has(execution.source) && await this.killSwitch.isOn()) return void await this.failures.reject(execution.id, 'kill_switch', 'the kill switch is on');
    const strategy = execution.strategy;
    const route = await this.router.route(strategy);
    if (!route) return void await this.failures.reject(execution.id, 'broker_not_connected', `no connected ${strategy.broker} account`);
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);

    // Any earlier attempt may have reached the broker: look before sending again
    if (attempt > 1) {
      const existing = await this.findAtBroker(client, execution.clientOrderId);
      if (existing) return void await this.adopt(client, existing, true);
    }

    // Paper orders fill inside placeOrder, in this process; a broker's fills arrive later
    const fillsInProcess = route.broker === PAPER_BROKER;
    const position = await this.planningPosition(execution, turn, fillsInProcess);
    // Planned from the quantity the alert asked for (qty itself becomes what a previous attempt planned)
    const requested = new D(execution.requestedQty);
    const plan = planOrder({
      signal: execution.side, alertQty: requested.gt(0) ? requested : null, position,
      policy: strategy.oppositeSignalPolicy, allowedSides: strategy.allowedSides,
      maxOpenPosition: strategy.maxOpenPosition ? new D(strategy.maxOpenPosition).times(execution.lotSize ?? 1) : null,
      ...(execution.marketPosition && {
        marketPosition: { side: execution.marketPosition, qty: execution.marketPositionQty === undefined ? null : new D(execution.marketPositionQty) },
      }),
    });
    if (!plan.ok) return void await this.failures.reject(execution.id, plan.reason, plan.message);

    const request = buildOrderRequest(execution, plan.side, plan.qty);
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
      strategyId: strategy.id, symbol: execution.symbol, mode: execution.mode, ...(replanned && { plannedQty: sent.qty }),
    });
    const order = await client.placeOrder(request).catch(async (error: unknown) => {
      await recordRequest(this.sql, execution.id, sent);
      throw error;
    });
    // A streaming broker delivers the fills through the subscription already; reading them back here would
    // only repeat that work on the hot path (the order poll still catches any the stream missed)
    await this.adopt(client, order, this.brokers.plugin(route.broker).manifest.has.orderUpdates !== 'stream');
    return { ...sent, response: order.raw ?? order, brokerOrderId: order.brokerOrderId };
  }

  // The position an attempt plans against. Paper: the previous order of the turn has filled in this process, but
  // the claim may have read the position before that, so the newer of the two wins. A broker's orders may still
  // be working: see working-orders.sql.ts.
  private async planningPosition(execution: ClaimedExecution, turn: string, fillsInProcess: boolean): Promise<D> {
    if (!fillsInProcess) {
      return new D(await positionWithWorkingOrders(this.sql, {
        strategyId: execution.strategyId, symbol: execution.symbol, mode: execution.mode, excludeId: execution.id,
      }));
    }
    const known = this.updates.knownPosition(turn);
    const newer = known && (execution.positionRevision === null || known.revision > execution.positionRevision);
    return new D(newer ? known.qty : execution.positionQty);
  }

  // Poll path for orders resting at the broker: read the order back and record what changed.
  async reconcile(execution: Execution): Promise<void> {
    const em = this.orm.em.fork();
    const route = await this.router.route(execution.strategy, em);
    if (!route) return;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    const order = await this.findAtBroker(client, execution.clientOrderId);
    if (order) await this.adopt(client, order, true);
  }

  async cancelAtBroker(execution: Execution): Promise<void> {
    const route = await this.router.route(execution.strategy);
    if (!route) return;
    const client = await this.clientFor(route.broker, route.accountId, route.credentials, route.credentialsVersion);
    const order = await client.cancelOrder({ clientOrderId: execution.clientOrderId, ...(execution.brokerOrderId && { brokerOrderId: execution.brokerOrderId }) });
    await this.updates.applyOrder(order);
  }

  private async findAtBroker(client: BrokerClient, clientOrderId: string): Promise<Order | null> {
    try {
      return await client.getOrder({ clientOrderId });
    } catch (error) {
      if (error instanceof OrderNotFoundError) return null;
      // Cannot tell whether the order exists: sending now could double it
      throw error instanceof BrokerError && !error.retryable ? error : new UnknownOutcomeError(`could not look up ${clientOrderId}: ${(error as Error).message}`, { broker: client.broker, cause: error });
    }
  }

  // Records the order state and any fills the broker already has (fills also stream in through the subscription).
  private async adopt(client: BrokerClient, order: Order, readFills: boolean): Promise<void> {
    await this.updates.applyOrder(order);
    if (readFills && new D(order.filledQuantity).gt(0) && client.listFills) {
      const fills = await client.listFills({ symbol: order.instrument.symbol });
      for (const fill of fills.filter((f) => f.clientOrderId === order.clientOrderId)) await this.updates.applyFill(fill);
    }
  }

  async clientFor(broker: string, accountId: string, credentials: Record<string, string>, version: string): Promise<BrokerClient> {
    const key = `${broker}:${accountId}:${version}`;
    const client = await this.brokers.client(broker, accountId, credentials, version);
    // Checked after the await: concurrent first attempts on one account all get here, and exactly one subscribes
    // (checking before it subscribed every one of them, and each update was then applied once per subscription)
    if (!this.subscribed.has(key)) {
      this.subscribed.add(key);
      client.subscribeOrderUpdates(this.updates.handler(broker), {
        onError: (error) => logger.warn('order update stream problem', { broker, error: isBrokerError(error) ? error.code : String(error) }),
      });
    }
    return client;
  }
}
