import type { Fill, Order, OrderUpdate } from '@algodatta/broker-sdk';
import { EntityManager, LockMode, MikroORM } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { D, money } from '../../shared/decimal';
import { ExecutionEventType, ExecutionStatus } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { PositionService } from '../positions/position.service';
import { DailyLossGuard } from './daily-loss.guard';
import { ExecutionEventsService, PendingEvent } from './execution-events.service';
import { canMove, fromBrokerStatus } from './execution-status';
import { Execution } from './execution.entity';

const EVENT_FOR: Partial<Record<ExecutionStatus, ExecutionEventType>> = {
  [ExecutionStatus.PLACED]: ExecutionEventType.ORDER_PLACED,
  [ExecutionStatus.REJECTED]: ExecutionEventType.ORDER_REJECTED,
  [ExecutionStatus.CANCELLED]: ExecutionEventType.ORDER_CANCELLED,
};

// The one path every order update takes, whatever delivered it (placeOrder's answer, the broker stream, a
// postback, the poll job): executions move forward only, and a fill is stored once per (execution, tradeId).
export class OrderUpdatesService {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly events: ExecutionEventsService,
    private readonly positions: PositionService,
    private readonly dailyLoss: DailyLossGuard,
  ) {}

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
    if (await this.changesNothing(order)) return;
    const published: PendingEvent[] = [];
    await this.orm.em.fork().transactional(async (em) => {
      const execution = await this.lockExecution(em, order.clientOrderId);
      if (!execution) return;
      if (order.brokerOrderId && !execution.brokerOrderId) execution.brokerOrderId = order.brokerOrderId;
      execution.brokerResponse = execution.brokerResponse ?? order.raw;
      let target = fromBrokerStatus(order.status);
      // Fill quantities come from fills, never from an order snapshot: FILLED is reached through applyFill
      if (target === ExecutionStatus.FILLED || target === ExecutionStatus.PARTIALLY_FILLED) target = ExecutionStatus.PLACED;
      published.push(...this.transition(em, execution, target, { brokerOrderId: order.brokerOrderId, brokerStatus: order.status, reason: order.rejectReason }));
      if (target === ExecutionStatus.REJECTED && !execution.rejectReason) {
        execution.rejectReason = 'broker_rejected';
        execution.lastError = order.rejectReason ?? 'rejected by the broker';
      }
    });
    this.events.publish(published);
  }

  private async recordFill(fill: Fill): Promise<void> {
    const published: PendingEvent[] = [];
    let strategyId: string | undefined;
    await this.orm.em.fork().transactional(async (em) => {
      const execution = await this.lockExecution(em, fill.clientOrderId);
      if (!execution) return;
      const inserted = await em.getConnection().execute<{ id: string }[]>(
        `insert into fills (id, created_at, updated_at, execution_id, trade_id, qty, price, total_charges, charge_breakdown, filled_at, raw)
         values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?, ?, ?) on conflict (execution_id, trade_id) do nothing returning id`,
        [execution.id, fill.tradeId, fill.quantity, fill.price, fill.fee?.total ?? '0', JSON.stringify(fill.fee?.breakdown ?? {}),
          new Date(fill.ts), JSON.stringify(fill.raw ?? null)],
        'all', em.getTransactionContext(),
      );
      if (inserted.length === 0) return; // the same trade delivered again
      const qty = new D(fill.quantity);
      const price = new D(fill.price);
      const charges = new D(fill.fee?.total ?? 0);
      if (fill.brokerOrderId && !execution.brokerOrderId) execution.brokerOrderId = fill.brokerOrderId;
      // A fill proves the order reached the broker: record PLACED first so events keep their order
      published.push(...this.transition(em, execution, ExecutionStatus.PLACED, { brokerOrderId: execution.brokerOrderId }));
      const position = await this.positions.lockOrCreate(em, execution.strategy, execution.symbol, execution.mode);
      const realized = this.positions.apply(position, { side: fill.side, qty, price, charges });
      const filledBefore = new D(execution.filledQty);
      const filled = filledBefore.plus(qty);
      execution.avgFillPrice = money(new D(execution.avgFillPrice ?? 0).times(filledBefore).plus(price.times(qty)).div(filled));
      execution.filledQty = money(filled);
      execution.charges = money(new D(execution.charges).plus(charges));
      execution.pnl = money(new D(execution.pnl ?? 0).plus(realized));
      const done = filled.gte(execution.qty);
      execution.status = done ? ExecutionStatus.FILLED : ExecutionStatus.PARTIALLY_FILLED;
      published.push(this.events.record(em, execution, ExecutionEventType.ORDER_FILLED, {
        tradeId: fill.tradeId, qty: fill.quantity, price: fill.price, charges: money(charges), filledQty: execution.filledQty,
        complete: done, position: { qty: position.qty, avgPrice: position.avgPrice, realizedPnl: position.realizedPnl },
      }));
      strategyId = execution.strategy.id;
    });
    this.events.publish(published);
    if (strategyId) await this.dailyLoss.check(strategyId);
  }

  // Most snapshots repeat what is already recorded (the placeOrder answer and the stream both report the same
  // order): one unlocked read spares them the locked transaction. A change still goes through the lock.
  private async changesNothing(order: Order): Promise<boolean> {
    const [row] = await query<{ status: ExecutionStatus; broker_order_id: string | null }>(
      this.orm.em.fork(), 'select status, broker_order_id from executions where client_order_id = ?', [order.clientOrderId],
    );
    if (!row) return false;
    let target = fromBrokerStatus(order.status);
    if (target === ExecutionStatus.FILLED || target === ExecutionStatus.PARTIALLY_FILLED) target = ExecutionStatus.PLACED;
    return !canMove(row.status, target) && (!order.brokerOrderId || row.broker_order_id !== null);
  }

  private transition(em: EntityManager, execution: Execution, to: ExecutionStatus, payload: Record<string, unknown>): PendingEvent[] {
    if (!canMove(execution.status, to)) return [];
    execution.status = to;
    const type = EVENT_FOR[to];
    return type ? [this.events.record(em, execution, type, payload)] : [];
  }

  private lockExecution(em: EntityManager, clientOrderId: string): Promise<Execution | null> {
    return em.findOne(Execution, { clientOrderId }, { lockMode: LockMode.PESSIMISTIC_WRITE }).then((execution) => {
      if (!execution) logger.info('update for an order we did not place', { clientOrderId });
      return execution;
    });
  }
}
