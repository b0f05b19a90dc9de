import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/sql';
import Decimal from 'decimal.js';
import { money } from '../../shared/decimal';
import { logger } from '../../shared/logger';
import { ExecutionEventType, ExecutionStatus, TradingMode } from '../../shared/enums';
import { currentContext, newCorrelationId } from '../../shared/request-context';
import type { FieldIssue } from '../../shared/app-error';
import { ExecutionEventsService } from '../executions/execution-events.service';
import { clientOrderIdFor } from '../executions/placement/order-request.builder';
import type { StrategyCache, StrategySnapshot } from '../strategies/strategy-snapshot';
import { hashesMatch, hashWebhookSecret } from '../strategies/webhook-secret';
import type { AlertSignal } from './alert-signal';
import { Precheck, precheckAlert, PrecheckDeps } from '../risk/alert-precheck';
import type { AccountCapital } from '../risk/account-capital';
import type { Refusal } from '../risk/refusal';
import { staleSignal } from '../risk/stale-signal.rule';
import { ignoresAlertQty, sizeEntry } from '../risk/sizing';
import { positionCheckInput } from '../risk/prev-position';
import { AlertSource, InsertResult, insertAlertsWithExecutions, NewAlert } from './alert-insert.sql';
import { MicroBatcher } from '../../shared/micro-batcher';
import { targetSignal } from './fan-out';
import { AlertRateLimits, memoryLimiters } from '../../cluster/shared-limiters';
import { insertPriceAlert } from './price-alert.sql';
import type { OrderInstrument } from '../instruments/instrument-resolver';

// Exit plans hear every price an alert carries through this hook, set at wiring time (exits/ sits above intake)
// It also hears which orders this process accepted, and whether their alerts carried exits (their fills then need no
// look at the alert)
export type PriceObserver = {
  observe(strategyIds: readonly string[], ticker: string, price: string): Promise<number>;
  accepted?(entry: { executionId: string; strategyId: string; symbol: string; mode: string; exits: boolean }): void;
};

export type IntakeResult =
  | {
      kind: 'accepted';
      alertId: string;
      correlationId: string;
      executionId: string;
      symbol: string;
      awaitingApproval: boolean;
    }
  | { kind: 'duplicate'; alertId: string }
  | { kind: 'rejected'; alertId: string; reason: string; message: string }
  | { kind: 'invalid'; details: FieldIssue[] };

// A fill that already happened at the broker (a native bracket's exit leg, exits/native-brackets.ts): recorded
// whatever the door rules say (kill switch, paused strategy, trading window, stale signal, approval), on the
// instrument its entry was placed with
export type Fact = { fact: true; instrument: OrderInstrument };

// The webhook's core: find the strategy by its secret, dedupe by idempotency key in the database, decide
// the rules known at the door, and commit the alert with its execution before anyone is told "accepted".
export class AlertIntakeService {
  // Under load, concurrent alerts share one insert statement and one commit; the intake also never holds more
  // than two pool connections, so the executor's statements do not queue behind a flood of new alerts
  private readonly inserts: MicroBatcher<NewAlert, InsertResult>;
  prices?: PriceObserver;

  constructor(
    private readonly events: ExecutionEventsService,
    private readonly deps: PrecheckDeps,
    private readonly strategies: StrategyCache,
    private readonly sql: Sql,
    // Counted across every api process, batched per strategy (cluster/shared-limiters.ts)
    private readonly rates = new AlertRateLimits(memoryLimiters()),
    // The account's funds, for percent-of-capital sizing (risk/sizing.ts); without it that mode is refused
    private readonly capital?: AccountCapital,
  ) {
    this.inserts = new MicroBatcher((alerts) => insertAlertsWithExecutions(this.sql, alerts), {
      maxInFlight: 2,
      maxBatch: 64,
    });
  }

  async findStrategy(secret: string): Promise<StrategySnapshot | null> {
    const hash = hashWebhookSecret(secret);
    const strategy = await this.strategies.bySecretHash(hash);
    return strategy?.webhookSecretHash && hashesMatch(hash, strategy.webhookSecretHash) ? strategy : null;
  }

  // Whether this secret opened a strategy lately (see StrategyCache.knows)
  knowsSecret(secret: string): boolean {
    return this.strategies.knows(hashWebhookSecret(secret));
  }

  async withinRateLimit(strategy: StrategySnapshot): Promise<boolean> {
    return this.rates.consume(strategy.id, strategy.alertsPerMinute);
  }

  // Alerts answered ahead of the shared rate-limit store are counted there (a process stopping)
  flushRateCounts(): Promise<void> {
    return this.rates.flush();
  }

  // A price for the strategy's ticker reaches the exit plans of the strategy and of its fan-out targets (each has
  // its own positions and plans), judged in one read; a failure there never fails the alert. A price older than a
  // strategy's maxSignalAgeSeconds (the alert's `time`) is not a price to exit at. Only a real alert's price (an
  // order alert or a PRICE alert from TradingView) is a market price: the webhook never calls this for a test alert.
  async observePrice(strategy: StrategySnapshot, ticker: string, price: string, firedAt?: string): Promise<void> {
    if (!this.prices) return;
    const now = new Date();
    try {
      // The targets list is cached (as for acceptTargets), so a strategy without targets costs no extra read
      const strategies = [strategy, ...(await this.strategies.targetsOf(strategy.id))];
      const fresh = strategies.filter((s) => !staleSignal(s, firedAt, now)).map((s) => s.id);
      if (fresh.length) await this.prices.observe(fresh, ticker, price);
    } catch (error) {
      logger.error('exit plans could not judge a price', {
        strategyId: strategy.id,
        error: (error as Error).message,
      });
    }
  }

  // A PRICE alert: recorded (duplicates answered as such), never an order
  recordPrice(
    strategy: StrategySnapshot,
    alert: { idempotencyKey: string; price: string; symbol?: string },
    rawBody: string,
    secret: string,
    sourceIp: string,
  ): Promise<{ inserted: boolean; alertId: string }> {
    return insertPriceAlert(this.sql, {
      strategyId: strategy.id,
      idempotencyKey: alert.idempotencyKey,
      rawBody: secret ? rawBody.split(secret).join('***') : rawBody,
      payload: { side: 'PRICE', ...alert },
      correlationId: newCorrelationId(),
      sourceIp,
    });
  }

  // The door rules alone, recording nothing (a LIVE strategy's test alert)
  // The door rules as the webhook decides them. Sizing modes that never read the alert's qty are capped after
  // sizing, so the per-order limit does not judge the alert's qty for them.
  precheck(strategy: StrategySnapshot, signal: AlertSignal): Promise<Precheck> {
    return precheckAlert(
      strategy,
      ignoresAlertQty(strategy.sizingMode) ? { ...signal, qty: undefined } : signal,
      this.deps,
    );
  }

  async accept(
    strategy: StrategySnapshot,
    signal: AlertSignal,
    rawBody: string,
    sourceIp: string,
    source: AlertSource = 'alert',
    // Decided before the door rules: a refusal (a fan-out target's quantity rounding to nothing: alerts/fan-out.ts),
    // or a fact the door rules do not judge
    decided?: Refusal | Fact,
  ): Promise<IntakeResult> {
    const correlationId = newCorrelationId();
    const ctx = currentContext();
    if (ctx) ctx.correlationId = correlationId;
    const fact = decided && 'fact' in decided ? decided : undefined;
    // Door rules are read first (no transaction held while reading); a duplicate wastes them, a new alert
    // then costs one write statement
    let check: Precheck | Refusal = fact
      ? { ok: true, instrument: fact.instrument }
      : ((decided as Refusal | undefined) ?? (await this.precheck(strategy, signal)));
    // The strategy's sizing mode decides an entry's quantity once the instrument (its lot size) is known; a fact's
    // quantity is what filled
    const sized =
      check.ok && !fact
        ? await sizeEntry(
            strategy,
            signal,
            check.instrument.lotSize,
            (s) => this.capital?.available(s) ?? Promise.resolve(null),
          )
        : null;
    if (sized && !sized.ok) check = sized;
    const qty = sized?.ok ? sized.qty : signal.qty;
    const positionSize = sized?.ok ? sized.positionSize : signal.positionSize;
    const executionId = randomUUID();
    const symbol = check.ok ? check.instrument.symbol : (signal.symbol ?? strategy.symbol);
    const lotSize = check.ok ? check.instrument.lotSize : '1';
    const events: NewAlert['events'] = [
      {
        type: ExecutionEventType.ALERT_RECEIVED,
        payload: {
          side: signal.side,
          qty: signal.qty ?? null,
          price: signal.price ?? null,
          orderType: signal.orderType,
          symbol,
          ...(signal.marketPosition && {
            marketPosition: signal.marketPosition,
            positionSize: signal.positionSize ?? null,
          }),
        },
      },
    ];
    if (!check.ok)
      events.push({
        type: ExecutionEventType.ORDER_REJECTED,
        payload: { reason: check.reason, message: check.message },
      });
    // Semi-automatic mode: the trader's own alerts wait for approval; a close or square-off from our side does not
    const awaitingApproval =
      check.ok && !fact && Boolean(strategy.requireApproval) && (source === 'alert' || source === 'test_alert');
    if (awaitingApproval)
      events.push({
        type: ExecutionEventType.AWAITING_APPROVAL,
        payload: { timeoutMinutes: strategy.approvalTimeoutMinutes ?? 5 },
      });
    const inserted = await this.inserts.submit({
      strategyId: strategy.id,
      userId: strategy.user.id,
      idempotencyKey: signal.idempotencyKey,
      // The stored body never holds the secret in clear
      rawBody: rawBody.split(signal.secret).join('***'),
      payload: { ...signal, secret: undefined },
      correlationId,
      sourceIp,
      events,
      execution: {
        id: executionId,
        clientOrderId: clientOrderIdFor(executionId),
        symbol,
        exchangeSegment: check.ok ? check.instrument.exchangeSegment : strategy.exchangeSegment,
        securityId: check.ok ? (check.instrument.securityId ?? null) : null,
        lotSize: check.ok ? money(check.instrument.lotSize) : null,
        tickSize: check.ok ? money(check.instrument.tickSize) : null,
        side: signal.side,
        orderType: signal.orderType,
        productType: strategy.productType,
        // Alert and strategy quantities count lots or shares; the execution's count units (lots x lot size).
        // An EXIT without a quantity closes the whole position: 0 until the executor plans it
        qty: money(new Decimal(qty ?? (signal.side === 'EXIT' ? 0 : strategy.qty)).times(lotSize)),
        marketPosition: signal.marketPosition ?? null,
        marketPositionQty: positionSize === undefined ? null : money(new Decimal(positionSize).times(lotSize)),
        ...(sized?.ok && { sizing: sized.decision }),
        positionCheck: positionCheckInput(signal, lotSize, strategy),
        price: signal.price ?? null,
        triggerPrice: signal.triggerPrice ?? null,
        mode: strategy.mode,
        broker: strategy.mode === TradingMode.PAPER ? this.deps.brokers.paperBroker() : strategy.broker,
        // Paper: the strategy's own paper account; LIVE: the strategy's chosen broker account, else the user's
        // default account there, recorded when the order is first placed
        brokerAccountId: strategy.mode === TradingMode.PAPER ? strategy.id : (strategy.brokerAccountId ?? null),
        status: !check.ok
          ? ExecutionStatus.REJECTED
          : awaitingApproval
            ? ExecutionStatus.AWAITING_APPROVAL
            : ExecutionStatus.PENDING,
        rejectReason: check.ok ? null : check.reason,
        lastError: check.ok ? null : check.message,
        source,
      },
    });
    if (!inserted.inserted) return { kind: 'duplicate', alertId: inserted.alertId };
    this.events.publish(inserted.events.map((message) => ({ message })));
    if (!check.ok) return { kind: 'rejected', alertId: inserted.alertId, reason: check.reason, message: check.message };
    this.prices?.accepted?.({
      executionId,
      strategyId: strategy.id,
      symbol,
      mode: strategy.mode,
      exits: signal.exits !== undefined && signal.exits !== null,
    });
    return { kind: 'accepted', alertId: inserted.alertId, correlationId, executionId, symbol, awaitingApproval };
  }

  // One strategy, many accounts: the same alert for each of the strategy's fan-out targets, each its own alert row
  // (unique per target and idempotency key, so a replay makes nothing twice on any account) and execution. Targets
  // are decided side by side, and one that fails (even a database error) fails alone. A test alert
  // (webhooks/tradingview/test-alert.service.ts) names the targets only checked (`dryRun`: its LIVE ones, as a LIVE
  // strategy's test alert is): their door rules are decided on their scaled signal, nothing is recorded.
  async acceptTargets(
    parent: StrategySnapshot,
    signal: AlertSignal,
    rawBody: string,
    sourceIp: string,
    source: AlertSource = 'alert',
    dryRun: (target: StrategySnapshot) => boolean = () => false,
  ): Promise<TargetIntake[]> {
    const targets = await this.strategies.targetsOf(parent.id);
    return Promise.all(
      targets.map(async (target): Promise<TargetIntake> => {
        const planned = targetSignal(target, signal);
        if (!planned) return { strategy: target, result: { kind: 'skipped' } };
        try {
          if (dryRun(target))
            return {
              strategy: target,
              result: {
                kind: 'dry_run',
                signal: planned.signal,
                check: planned.refusal ?? (await this.precheck(planned.strategy, planned.signal)),
              },
            };
          const result = await this.accept(
            planned.strategy,
            planned.signal,
            rawBody,
            sourceIp,
            source,
            planned.refusal,
          );
          return { strategy: target, result };
        } catch (error) {
          logger.error('fan-out target failed', { strategyId: target.id, parentId: parent.id, error });
          return { strategy: target, result: { kind: 'error' } };
        }
      }),
    );
  }
}

export type TargetIntake = {
  strategy: StrategySnapshot;
  result:
    | IntakeResult
    | { kind: 'skipped' }
    | { kind: 'error' }
    | { kind: 'dry_run'; signal: AlertSignal; check: Precheck | Refusal };
};
