import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { money } from '../../shared/decimal';
import { ExecutionEventType, ExecutionStatus, OrderSide, OrderType, TradingMode } from '../../shared/enums';
import { PAPER_BROKER } from '../brokers/broker-route';
import { currentContext, newCorrelationId } from '../../shared/request-context';
import type { FieldIssue } from '../../shared/app-error';
import { ExecutionEventsService, PendingEvent } from '../executions/execution-events.service';
import { Execution } from '../executions/execution.entity';
import { clientOrderIdFor } from '../executions/order-request.builder';
import { Strategy } from '../strategies/strategy.entity';
import { hashWebhookSecret, secretMatches } from '../strategies/webhook-secret';
import type { AlertSignal } from '../webhooks/tradingview/tradingview.payload';
import { precheckAlert, PrecheckDeps } from './alert-precheck';
import { Alert } from './alert.entity';

export type IntakeResult =
  | { kind: 'accepted'; alertId: string; correlationId: string; executionId: string }
  | { kind: 'duplicate'; alertId: string }
  | { kind: 'rejected'; alertId: string; reason: string; message: string }
  | { kind: 'invalid'; details: FieldIssue[] };

const EQUITY_SEGMENTS = new Set(['NSE_EQ', 'BSE_EQ']);

// The webhook's core: find the strategy by its secret, dedupe by idempotency key in the database, decide
// the rules known at the door, and commit the alert with its execution before anyone is told "accepted".
export class AlertIntakeService {
  private readonly limiters = new Map<number, RateLimiterMemory>();

  constructor(private readonly orm: MikroORM, private readonly events: ExecutionEventsService, private readonly deps: PrecheckDeps) {}

  async findStrategy(em: EntityManager, secret: string): Promise<Strategy | null> {
    const strategy = await em.findOne(Strategy, { webhookSecretHash: hashWebhookSecret(secret), deletedAt: null });
    return strategy && secretMatches(secret, strategy.webhookSecretHash) ? strategy : null;
  }

  async withinRateLimit(strategy: Strategy): Promise<boolean> {
    const points = strategy.alertsPerMinute;
    let limiter = this.limiters.get(points);
    if (!limiter) this.limiters.set(points, (limiter = new RateLimiterMemory({ keyPrefix: `alerts-${points}`, points, duration: 60 })));
    return limiter.consume(strategy.id).then(() => true, () => false);
  }

  async accept(em: EntityManager, strategy: Strategy, signal: AlertSignal, rawBody: string, sourceIp: string): Promise<IntakeResult> {
    if (signal.qty && EQUITY_SEGMENTS.has(strategy.exchangeSegment) && !new Decimal(signal.qty).isInteger()) {
      return { kind: 'invalid', details: [{ path: 'qty', message: `qty must be a whole number of shares for ${strategy.exchangeSegment}` }] };
    }
    const correlationId = newCorrelationId();
    const ctx = currentContext();
    if (ctx) ctx.correlationId = correlationId;
    let published: PendingEvent[] = [];
    const result = await em.transactional(async (tx): Promise<IntakeResult> => {
      const alertId = await this.insertAlert(tx, strategy, signal, rawBody, sourceIp, correlationId);
      if (!alertId.inserted) return { kind: 'duplicate', alertId: alertId.id };
      const check = await precheckAlert(tx, strategy, signal, this.deps);
      const alert = tx.getReference(Alert, alertId.id);
      const execution = tx.create(Execution, {
        strategy, user: strategy.user, alert, correlationId, clientOrderId: '',
        symbol: check.ok ? check.instrument.symbol : (signal.symbol ?? strategy.symbol),
        exchangeSegment: check.ok ? check.instrument.exchangeSegment : strategy.exchangeSegment,
        securityId: check.ok ? check.instrument.securityId : undefined,
        lotSize: check.ok ? money(check.instrument.lotSize) : undefined,
        tickSize: check.ok ? money(check.instrument.tickSize) : undefined,
        side: signal.side as OrderSide, orderType: signal.orderType as OrderType, productType: strategy.productType,
        qty: money(new Decimal(signal.qty ?? (signal.side === 'EXIT' ? 0 : strategy.qty)).times(check.ok ? check.instrument.lotSize : 1)),
        price: signal.price, triggerPrice: signal.triggerPrice, mode: strategy.mode, broker: strategy.mode === TradingMode.PAPER ? PAPER_BROKER : strategy.broker,
        status: check.ok ? ExecutionStatus.PENDING : ExecutionStatus.REJECTED,
        rejectReason: check.ok ? undefined : check.reason, lastError: check.ok ? undefined : check.message,
      });
      execution.clientOrderId = clientOrderIdFor(execution.id);
      published = [this.events.record(tx, execution, ExecutionEventType.ALERT_RECEIVED, {
        side: signal.side, qty: signal.qty ?? null, price: signal.price ?? null, orderType: signal.orderType, symbol: execution.symbol,
      })];
      if (!check.ok) {
        published.push(this.events.record(tx, execution, ExecutionEventType.ORDER_REJECTED, { reason: check.reason, message: check.message }));
        await tx.nativeUpdate(Alert, { id: alertId.id }, { status: 'REJECTED' as never, rejectReason: check.reason, errorText: check.message, processedAt: new Date() });
        return { kind: 'rejected', alertId: alertId.id, reason: check.reason, message: check.message };
      }
      return { kind: 'accepted', alertId: alertId.id, correlationId, executionId: execution.id };
    });
    this.events.publish(published);
    return result;
  }

  // INSERT ... ON CONFLICT: the unique (strategy, idempotency_key) index decides between concurrent deliveries.
  private async insertAlert(em: EntityManager, strategy: Strategy, signal: AlertSignal, rawBody: string, sourceIp: string, correlationId: string) {
    const conn = em.getConnection();
    const inserted = await conn.execute<{ id: string }[]>(
      `insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status, correlation_id, source_ip)
       values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, now(), 'RECEIVED', ?, ?)
       on conflict (strategy_id, idempotency_key) do nothing returning id`,
      // The stored body never holds the secret in clear
      [strategy.id, signal.idempotencyKey, rawBody.split(signal.secret).join('***'), JSON.stringify({ ...signal, secret: undefined }), correlationId, sourceIp],
      'all', em.getTransactionContext(),
    );
    if (inserted[0]) return { inserted: true, id: inserted[0].id };
    const existing = await conn.execute<{ id: string }[]>(
      'select id from alerts where strategy_id = ? and idempotency_key = ?', [strategy.id, signal.idempotencyKey], 'all', em.getTransactionContext(),
    );
    return { inserted: false, id: existing[0].id };
  }
}
