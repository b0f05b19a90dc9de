import { randomUUID } from 'node:crypto';
import type { Fill, Order, OrderUpdate } from '@algodatta/broker-sdk';
import type { SqlPool } from '../../db/sql';
import { D, money } from '../../shared/decimal';
import { ExecutionEventType, ExecutionStatus } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { applyFillToLedger, unrealizedPnl } from '../positions/position-ledger';
import { DailyLossGuard } from './daily-loss.guard';
import type { ExecutionEventMessage } from './execution-event.types';
import { ExecutionEventsService } from './execution-events.service';
import { canMove, fromBrokerStatus } from './execution-status';
import { KnownStatuses } from './known-statuses';
import { APPLY_FILL_SQL, APPLY_ORDER_SQL, AppliedOrderRow, LOCK_FILL_SQL, LockedFillRow } from './order-update.sql';

const EVENT_FOR: Partial<Record<ExecutionStatus, ExecutionEventType>> = {
  [ExecutionStatus.PLACED]: ExecutionEventType.ORDER_PLACED,
  [ExecutionStatus.REJECTED]: ExecutionEventType.ORDER_REJECTED,
  [ExecutionStatus.CANCELLED]: ExecutionEventType.ORDER_CANCELLED,
};
const ALL_STATUSES = Object.values(ExecutionStatus);

type NewEvent = { id: string; ord: number; type: ExecutionEventType; payload: Record<string, unknown> };

// The one path every order update takes, whatever delivered it (placeOrder's answer, the broker stream, a
// postback, the poll job): executions move forward only, and a fill is stored once per (execution, tradeId).
// Raw SQL on purpose: this runs several times per order, and each change is one or two statements.
export class OrderUpdatesService {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly known = new KnownStatuses();

  constructor(private readonly sql: SqlPool, private readonly events: ExecutionEventsService, private readonly dailyLoss: DailyLossGuard) {}

  async apply(update: OrderUpdate): Promise<void> {
    if (update.kind === 'fill') await this.applyFill(update.fill);
    else await this.applyOrder(update.order);
  }

  // Runs update handlers from broker callbacks without letting a failure escape into the plugin.
  handler(source: string): (update: OrderUpdate) => void {
    return (update) => {
      this.apply(update).catch((error) => logger.error('order update failed', { source, kind: update.kind, error }));
    };
  }

  applyOrder(order: Order): Promise<void> {
    return this.inOrder(order.clientOrderId, () => this.recordOrder(order));
  }

  applyFill(fill: Fill): Promise<void> {
    return this.inOrder(fill.clientOrderId, () => this.recordFill(fill));
  }

  // Updates of one order arrive together (the placeOrder answer, stream snapshots, the fill): handling them one
  // after another in this process lets the repeats take the cheap no-change path instead of queueing on row locks.
  // The row locks still order updates across processes.
  private inOrder(clientOrderId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(clientOrderId) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.queues.set(clientOrderId, settled);
    void settled.then(() => { if (this.queues.get(clientOrderId) === settled) this.queues.delete(clientOrderId); });
    return next;
  }

  private async recordOrder(order: Order): Promise<void> {
    let target = fromBrokerStatus(order.status);
    // Fill quantities come from fills, never from an order snapshot: FILLED is reached through applyFill
    if (target === ExecutionStatus.FILLED || target === ExecutionStatus.PARTIALLY_FILLED) target = ExecutionStatus.PLACED;
    // Most snapshots repeat what this process already recorded (the placeOrder answer and the stream report the
    // same order): those cost nothing. What we know is never ahead of the database, so a skip is always safe.
    if (this.known.changesNothing(order.clientOrderId, target, Boolean(order.brokerOrderId))) return;
    const from = ALL_STATUSES.filter((status) => canMove(status, target));
    const rejecting = target === ExecutionStatus.REJECTED;
    const payload = { brokerOrderId: order.brokerOrderId, brokerStatus: order.status, reason: order.rejectReason };
    const [row] = await this.sql.query<AppliedOrderRow>(APPLY_ORDER_SQL, [
      order.clientOrderId, from, target, order.brokerOrderId ?? null, order.raw === undefined ? null : JSON.stringify(order.raw),
      from, rejecting, from, rejecting, order.rejectReason ?? 'rejected by the broker',
      EVENT_FOR[target], JSON.stringify(payload),
    ]);
    if (!row) {
      logger.info('update for an order we did not place', { clientOrderId: order.clientOrderId });
      return;
    }
    this.known.set(order.clientOrderId, row.status as ExecutionStatus, row.broker_order_id !== null);
    if (row.event_id) {
      this.publish([{ id: row.event_id, type: EVENT_FOR[target]!, at: row.event_at!, payload }], row);
    }
  }

  private async recordFill(fill: Fill): Promise<void> {
    const qty = new D(fill.quantity);
    const price = new D(fill.price);
    const charges = new D(fill.fee?.total ?? 0);
    const outcome = await this.sql.transaction(async (tx) => {
      const [row] = await tx.query<LockedFillRow>(LOCK_FILL_SQL, [
        fill.clientOrderId, fill.tradeId, fill.quantity, fill.price, fill.fee?.total ?? '0', JSON.stringify(fill.fee?.breakdown ?? {}),
        new Date(fill.ts), JSON.stringify(fill.raw ?? null),
      ]);
      if (!row) {
        logger.info('fill for an order we did not place', { clientOrderId: fill.clientOrderId });
        return null;
      }
      if (!row.fill_id || !row.position_id) return null; // the same trade delivered again
      const events: NewEvent[] = [];
      const brokerOrderId = row.broker_order_id ?? fill.brokerOrderId ?? null;
      // A fill proves the order reached the broker: record PLACED first so events keep their order
      if (canMove(row.status as ExecutionStatus, ExecutionStatus.PLACED)) {
        events.push({ id: randomUUID(), ord: 0, type: ExecutionEventType.ORDER_PLACED, payload: { brokerOrderId } });
      }
      const ledger = applyFillToLedger(
        { qty: new D(row.position_qty!), avgPrice: new D(row.position_avg_price!), realizedPnl: new D(row.position_realized_pnl!) },
        { side: fill.side, qty, price, charges },
      );
      const position = { qty: money(ledger.qty), avgPrice: money(ledger.avgPrice), realizedPnl: money(ledger.realizedPnl) };
      const filledBefore = new D(row.filled_qty);
      const filled = filledBefore.plus(qty);
      const done = filled.gte(row.qty);
      const status = done ? ExecutionStatus.FILLED : ExecutionStatus.PARTIALLY_FILLED;
      const avgFillPrice = money(new D(row.avg_fill_price ?? 0).times(filledBefore).plus(price.times(qty)).div(filled));
      events.push({ id: randomUUID(), ord: events.length, type: ExecutionEventType.ORDER_FILLED, payload: {
        tradeId: fill.tradeId, qty: fill.quantity, price: fill.price, charges: money(charges), filledQty: money(filled), complete: done, position,
      } });
      const written = await tx.query<{ id: string; type: ExecutionEventType; at: Date }>(APPLY_FILL_SQL, [
        position.qty, position.avgPrice, position.realizedPnl, money(new D(row.position_charges!).plus(charges)), money(price),
        money(unrealizedPnl(ledger.qty, ledger.avgPrice, price)), row.position_id,
        status, money(filled), avgFillPrice, money(new D(row.charges).plus(charges)), money(new D(row.pnl ?? 0).plus(ledger.realizedDelta)),
        brokerOrderId, row.id,
        row.id, row.alert_id, row.strategy_id, row.correlation_id, JSON.stringify(events),
      ]);
      return { row, status, events: written.map((w) => ({ ...w, payload: events.find((e) => e.id === w.id)!.payload })) };
    });
    if (!outcome) return;
    this.known.set(fill.clientOrderId, outcome.status, true);
    this.publish(outcome.events, outcome.row);
    if (outcome.row.max_daily_loss !== null && outcome.row.strategy_enabled) await this.dailyLoss.check(outcome.row.strategy_id);
  }

  private publish(
    events: Array<{ id: string; type: ExecutionEventType; at: Date; payload: Record<string, unknown> }>,
    execution: { id: string; alert_id: string; strategy_id: string; user_id: string; correlation_id: string },
  ): void {
    this.events.publish(events.map((event): { message: ExecutionEventMessage } => ({ message: {
      id: event.id, type: event.type, executionId: execution.id, alertId: execution.alert_id, correlationId: execution.correlation_id,
      strategyId: execution.strategy_id, at: new Date(event.at), payload: event.payload, userId: execution.user_id,
    } })));
  }
}
