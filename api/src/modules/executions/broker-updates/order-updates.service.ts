import { randomUUID } from 'node:crypto';
import type { Fill, Order, OrderUpdate } from '@algodatta/broker-sdk';
import type { SqlPool } from '../../../db/sql';
import { D, money } from '../../../shared/decimal';
import { ExecutionEventType, ExecutionStatus } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { applyFillToLedger, unrealizedPnl } from '../../positions/position-ledger';
import { applyFillToTrip, OpenTrip } from '../../positions/round-trip-ledger';
import { DailyLossGuard } from '../../risk/daily-loss.guard';
import type { ExecutionEventMessage } from '../execution-event.types';
import { ExecutionEventsService } from '../execution-events.service';
import { canMove, fromBrokerStatus } from '../execution-status';
import { KnownStatuses } from './known-statuses';
import { KeyedQueue } from '../../../shared/keyed-queue';
import { RecentMap } from '../../../shared/recent-map';
import { positionKey } from '../../positions/position-key';
import {
  APPLY_FILL_SQL,
  APPLY_ORDER_SQL,
  AppliedOrderRow,
  FAST_FILL_SQL,
  FastFillRow,
  FILL_MANY_SQL,
  FillManyRecord,
  FillManyRow,
  LOCK_FILL_SQL,
  LockedFillRow,
  WrittenEvent,
} from '../store/order-update.sql';
import { statusesBefore } from '../store/execution-transitions';
import { LegOrders } from './leg-orders';
import { maybeLegId } from '../store/legs.sql';

const EVENT_FOR: Partial<Record<ExecutionStatus, ExecutionEventType>> = {
  [ExecutionStatus.PLACED]: ExecutionEventType.ORDER_PLACED,
  [ExecutionStatus.REJECTED]: ExecutionEventType.ORDER_REJECTED,
  [ExecutionStatus.CANCELLED]: ExecutionEventType.ORDER_CANCELLED,
};

type NewEvent = { id: string; ord: number; type: ExecutionEventType; payload: Record<string, unknown> };
// Where an order's fills go, and the quantity its execution completes at when the plan changed it and it was not written yet
type ExpectedFills = { key: string; plannedQty?: string };
type KnownPosition = {
  id: string;
  qty: string;
  avgPrice: string;
  realizedPnl: string;
  charges: string;
  revision: number;
  openTrip: OpenTrip | null;
};
type FillOutcome = {
  row: {
    id: string;
    alert_id: string;
    strategy_id: string;
    user_id: string;
    correlation_id: string;
    max_daily_loss: string | null;
    strategy_enabled: boolean;
  };
  status: ExecutionStatus;
  events: WrittenEvent[];
};

// Fills of orders placed together (a venue's placeOrders): collected as they come, then written in one statement
type FillBatch = {
  key: string;
  /** The orders' clientOrderIds, in the order they were placed */
  order: string[];
  fills: Map<string, Fill>;
  written?: Promise<void>;
  /** Resolves once the batch is closed and its fills written */
  settled: Promise<void>;
  settle: (written: Promise<void>) => void;
};

// The fill's own columns in the fills table (trade id, quantity, price, charges, breakdown, time, raw)
const fillColumns = (fill: Fill) => [
  fill.tradeId,
  fill.quantity,
  fill.price,
  fill.fee?.total ?? '0',
  JSON.stringify(fill.fee?.breakdown ?? {}),
  new Date(fill.ts),
  JSON.stringify(fill.raw ?? null),
];

// What a fill does to a position (average-cost ledger), in the column formats
function ledgerChange(position: KnownPosition, fill: Fill) {
  const qty = new D(fill.quantity);
  const price = new D(fill.price);
  const charges = new D(fill.fee?.total ?? 0);
  const ledger = applyFillToLedger(
    { qty: new D(position.qty), avgPrice: new D(position.avgPrice), realizedPnl: new D(position.realizedPnl) },
    { side: fill.side, qty, price, charges },
  );
  const realizedDelta = money(ledger.realizedDelta);
  const trip = applyFillToTrip(
    position.openTrip,
    new D(position.qty),
    new D(position.avgPrice),
    {
      side: fill.side,
      qty,
      price,
      charges,
      at: new Date(fill.ts),
    },
    new D(realizedDelta),
  );
  const after = {
    qty: money(ledger.qty),
    avgPrice: money(ledger.avgPrice),
    realizedPnl: money(ledger.realizedPnl),
    openTrip: trip.open,
  };
  return {
    position: after,
    charges: money(charges),
    price: money(price),
    unrealized: money(unrealizedPnl(ledger.qty, ledger.avgPrice, price)),
    realizedDelta,
    // The position's trip after the fill (a column) and the trip it closed, if any (zero or one round_trips rows)
    openTrip: trip.open && JSON.stringify(trip.open),
    closedTrips: JSON.stringify(trip.closed ? [trip.closed] : []),
    // ORDER_FILLED's payload, less filledQty and complete (known only with the execution row)
    filledPayload: {
      tradeId: fill.tradeId,
      qty: fill.quantity,
      price: fill.price,
      charges: money(charges),
      position: { qty: after.qty, avgPrice: after.avgPrice, realizedPnl: after.realizedPnl },
    },
  };
}

// The one path every order update takes, whatever delivered it (placeOrder's answer, the broker stream, a
// postback, the poll job): executions move forward only, and a fill is stored once per (execution, tradeId).
// Raw SQL on purpose: this runs several times per order, and each change is one or two statements.
export class OrderUpdatesService {
  // Updates of one order arrive together (the placeOrder answer, stream snapshots, the fill): handling them one
  // after another in this process lets the repeats take the cheap no-change path instead of queueing on row locks.
  // The row locks still order updates across processes.
  private readonly orders = new KeyedQueue();
  // Fills of one position, one after another: each starts from the position the previous one wrote
  private readonly positionFills = new KeyedQueue();
  private readonly known = new KnownStatuses();
  // clientOrderId -> where its fills go, for orders this process placed; position key -> the position as last written here
  private readonly orderPositions = new RecentMap<string, ExpectedFills>(20_000);
  private readonly positions = new RecentMap<string, KnownPosition>(20_000);
  // Orders of executions split at the freeze limit: each leg's report is turned into one on its execution
  private readonly legs: LegOrders;
  // clientOrderId -> the batch its fill belongs to, from expectBatch until the batch is closed
  private readonly batches = new Map<string, FillBatch>();

  constructor(
    private readonly sql: SqlPool,
    private readonly events: ExecutionEventsService,
    private readonly dailyLoss: DailyLossGuard,
  ) {
    this.legs = new LegOrders(sql, events, {
      order: (order) => this.recordOrder(order),
      fill: (fill) => this.recordFill(fill),
    });
  }

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
    if (maybeLegId(order.clientOrderId)) return this.orders.run(order.clientOrderId, () => this.legs.order(order));
    return this.orders.run(order.clientOrderId, () => this.recordOrder(order));
  }

  applyFill(fill: Fill): Promise<void> {
    if (maybeLegId(fill.clientOrderId)) return this.orders.run(fill.clientOrderId, () => this.legs.fill(fill));
    return this.orders.run(fill.clientOrderId, () => this.recordFill(fill));
  }

  private async recordOrder(order: Order): Promise<void> {
    let target = fromBrokerStatus(order.status);
    // Fill quantities come from fills, never from an order snapshot: FILLED is reached through applyFill
    if (target === ExecutionStatus.FILLED || target === ExecutionStatus.PARTIALLY_FILLED)
      target = ExecutionStatus.PLACED;
    // Most snapshots repeat what this process already recorded (the placeOrder answer and the stream report the
    // same order): those cost nothing. What we know is never ahead of the database, so a skip is always safe.
    if (
      this.known.changesNothing(order.clientOrderId, target, {
        brokerOrderId: Boolean(order.brokerOrderId),
        algoId: Boolean(order.exchangeAlgoId),
      })
    )
      return;
    const from = statusesBefore(target);
    const rejecting = target === ExecutionStatus.REJECTED;
    const payload = { brokerOrderId: order.brokerOrderId, brokerStatus: order.status, reason: order.rejectReason };
    const [row] = await this.sql.query<AppliedOrderRow>(APPLY_ORDER_SQL, [
      order.clientOrderId,
      from,
      target,
      order.brokerOrderId ?? null,
      order.exchangeAlgoId ?? null,
      order.raw === undefined ? null : JSON.stringify(order.raw),
      from,
      rejecting,
      from,
      rejecting,
      order.rejectReason ?? 'rejected by the broker',
      EVENT_FOR[target],
      JSON.stringify(payload),
    ]);
    if (!row) {
      logger.info('update for an order we did not place', { clientOrderId: order.clientOrderId });
      return;
    }
    this.known.set(order.clientOrderId, row.status as ExecutionStatus, {
      brokerOrderId: row.broker_order_id !== null,
      algoId: row.algo_id !== null,
    });
    if (row.event_id) {
      this.publish([{ id: row.event_id, type: EVENT_FOR[target]!, at: row.event_at!, payload }], row);
    }
  }

  // The unsent legs of an execution will not be sent (see leg-orders.ts)
  stopLegs(executionId: string, clientOrderId: string, why: string): Promise<void> {
    return this.legs.stop(executionId, clientOrderId, why);
  }

  // The executor says where an order's fills will go before it sends the order, so its fill can take the
  // one-statement path (fills of orders placed elsewhere take the two-statement path).
  expectFills(
    clientOrderId: string,
    order: { strategyId: string; symbol: string; mode: string; plannedQty?: string },
  ): void {
    this.orderPositions.set(clientOrderId, {
      key: positionKey(order.strategyId, order.symbol, order.mode),
      plannedQty: order.plannedQty,
    });
  }

  // The executor is about to place these orders of one position together (they were expected with expectFills): their
  // fills, as they come, are written in one statement once all have come, or once the batch is closed (the placement
  // answered or failed: what came is written then, and a fill that comes later takes the usual path). A fill of the
  // batch is recorded (its applyFill resolves) when the batch is.
  expectBatch(clientOrderIds: string[]): { close(): Promise<void> } {
    const key = this.orderPositions.get(clientOrderIds[0])?.key;
    if (!key || clientOrderIds.length < 2) return { close: async () => undefined };
    let settle!: (written: Promise<void>) => void;
    const settled = new Promise<void>((resolve) => (settle = (written) => void written.then(resolve, resolve)));
    const batch: FillBatch = { key, order: clientOrderIds, fills: new Map(), settled, settle };
    for (const id of clientOrderIds) this.batches.set(id, batch);
    return { close: () => this.closeBatch(batch) };
  }

  private closeBatch(batch: FillBatch): Promise<void> {
    for (const id of batch.order) if (this.batches.get(id) === batch) this.batches.delete(id);
    if (!batch.written) {
      batch.written = batch.fills.size ? this.writeBatch(batch) : Promise.resolve();
      batch.settle(batch.written);
    }
    return batch.written;
  }

  // The batch's fills in the orders' sequence, in the position's turn of fills: one statement while the position is
  // the one this process last wrote, else (or if that statement fails) one fill at a time as recordFill does. A fill
  // that still fails is logged like any failed update; the order poll finds it at the venue later (PLACED).
  private async writeBatch(batch: FillBatch): Promise<void> {
    const fills = batch.order.map((id) => batch.fills.get(id)).filter((f): f is Fill => f !== undefined);
    const outcomes = await this.positionFills.run(batch.key, async () => {
      const each: Array<FillOutcome | 'duplicate' | null> = [];
      const one = async (fill: Fill) => {
        const plannedQty = this.orderPositions.get(fill.clientOrderId)?.plannedQty ?? null;
        try {
          const known = this.positions.get(batch.key);
          each.push(
            (known && (await this.recordFillFast(fill, batch.key, known, plannedQty))) ||
              (await this.recordFillLocked(fill, plannedQty)),
          );
        } catch (error) {
          logger.error('order update failed', { kind: 'fill', clientOrderId: fill.clientOrderId, error });
          each.push(null);
        }
      };
      // The position not known here yet (its first fill in this process): the first fill reads it
      let rest = fills;
      if (!this.positions.get(batch.key) && rest.length > 2) {
        await one(rest[0]);
        rest = rest.slice(1);
      }
      const known = this.positions.get(batch.key);
      const together =
        known && rest.length > 1
          ? await this.recordFillsFast(rest, batch.key, known).catch((error: unknown) => {
              logger.warn('a batch of fills was not written together: one at a time', {
                fills: rest.length,
                error: (error as Error).message,
              });
              return null;
            })
          : null;
      if (together) return [...each, ...together];
      for (const fill of rest) await one(fill);
      return each;
    });
    let dailyLoss: string | null = null;
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome || outcome === 'duplicate') continue;
      this.known.set(fills[i].clientOrderId, outcome.status, { brokerOrderId: true });
      this.publish(outcome.events, outcome.row);
      if (outcome.row.max_daily_loss !== null && outcome.row.strategy_enabled) dailyLoss = outcome.row.strategy_id;
    }
    if (dailyLoss) await this.dailyLoss.check(dailyLoss);
  }

  // The position as this process last wrote it (with its revision), for planning the position's next order
  knownPosition(key: string): { qty: string; revision: number } | undefined {
    return this.positions.get(key);
  }

  private async recordFill(fill: Fill): Promise<void> {
    const batch = this.batches.get(fill.clientOrderId);
    if (batch && !batch.fills.has(fill.clientOrderId)) {
      batch.fills.set(fill.clientOrderId, fill);
      if (batch.fills.size === batch.order.length) void this.closeBatch(batch);
      // Recorded once the batch is closed and written (by the last of its fills, or by the placement's end)
      return batch.settled;
    }
    const expected = this.orderPositions.get(fill.clientOrderId);
    const plannedQty = expected?.plannedQty ?? null;
    const outcome = expected
      ? await this.positionFills.run(expected.key, async () => {
          const known = this.positions.get(expected.key);
          return (
            (known && (await this.recordFillFast(fill, expected.key, known, plannedQty))) ||
            this.recordFillLocked(fill, plannedQty)
          );
        })
      : await this.recordFillLocked(fill, null);
    if (!outcome || outcome === 'duplicate') return;
    this.known.set(fill.clientOrderId, outcome.status, { brokerOrderId: true });
    this.publish(outcome.events, outcome.row);
    if (outcome.row.max_daily_loss !== null && outcome.row.strategy_enabled)
      await this.dailyLoss.check(outcome.row.strategy_id);
  }

  // One statement, valid only while the position is the one this process last wrote; null: take the locked path
  private async recordFillFast(
    fill: Fill,
    key: string,
    known: KnownPosition,
    plannedQty: string | null,
  ): Promise<FillOutcome | 'duplicate' | null> {
    const change = ledgerChange(known, fill);
    const [row] = await this.sql.query<FastFillRow>(FAST_FILL_SQL, [
      known.id,
      known.revision,
      fill.clientOrderId,
      ...fillColumns(fill),
      change.position.qty,
      change.position.avgPrice,
      change.position.realizedPnl,
      change.charges,
      change.price,
      change.unrealized,
      change.openTrip,
      change.closedTrips,
      fill.quantity,
      fill.price,
      fill.quantity,
      fill.quantity,
      change.charges,
      change.realizedDelta,
      plannedQty,
      fill.quantity,
      plannedQty,
      fill.brokerOrderId ?? null,
      JSON.stringify(change.filledPayload),
      fill.brokerOrderId ?? null,
    ]);
    if (!row) return null; // the position moved on (another process), or the order is not ours: the locked path decides
    if (!row.fill_id) return 'duplicate';
    this.positions.set(key, { ...known, ...change.position, charges: row.position_charges!, revision: row.revision! });
    return { row, status: row.status as ExecutionStatus, events: row.events };
  }

  // A batch's fills in ONE statement (FILL_MANY_SQL), valid only while the position is the one this process last wrote
  // and every execution is found without a fill yet; null: nothing was written
  private async recordFillsFast(fills: Fill[], key: string, known: KnownPosition): Promise<FillOutcome[] | null> {
    let position = known;
    let change: ReturnType<typeof ledgerChange> | undefined;
    const orders: FillManyRecord[] = [];
    for (const [ord, fill] of fills.entries()) {
      change = ledgerChange(position, fill);
      orders.push({
        ord,
        client_order_id: fill.clientOrderId,
        trade_id: fill.tradeId,
        qty: fill.quantity,
        price: fill.price,
        total_charges: fill.fee?.total ?? '0',
        charge_breakdown: fill.fee?.breakdown ?? {},
        filled_at: new Date(fill.ts),
        raw: fill.raw ?? null,
        charges: change.charges,
        realized_delta: change.realizedDelta,
        planned_qty: this.orderPositions.get(fill.clientOrderId)?.plannedQty ?? null,
        broker_order_id: fill.brokerOrderId ?? null,
        payload: change.filledPayload,
        closed_trips: JSON.parse(change.closedTrips) as unknown[],
      });
      position = { ...position, ...change.position, charges: money(new D(position.charges).plus(change.charges)) };
    }
    // The position's columns are written once, as the last fill leaves them
    const rows = await this.sql.query<FillManyRow>(FILL_MANY_SQL, [
      known.id,
      known.revision,
      JSON.stringify(orders),
      position.qty,
      position.avgPrice,
      position.realizedPnl,
      money(new D(position.charges).minus(known.charges)),
      change!.price,
      change!.unrealized,
      change!.openTrip,
    ]);
    if (rows.length !== fills.length || rows.some((row) => !row.fill_id || row.revision === null)) return null;
    this.positions.set(key, { ...position, charges: rows[0].position_charges!, revision: rows[0].revision! });
    return rows.map((row) => ({ row, status: row.status as ExecutionStatus, events: row.events }));
  }

  // Two statements in a transaction: lock the execution and the position (reading both as they are), then write.
  private async recordFillLocked(fill: Fill, plannedQty: string | null): Promise<FillOutcome | 'duplicate' | null> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<LockedFillRow>(LOCK_FILL_SQL, [fill.clientOrderId, ...fillColumns(fill)]);
      if (!row) {
        logger.info('fill for an order we did not place', { clientOrderId: fill.clientOrderId });
        return null;
      }
      if (!row.fill_id || !row.position_id) return 'duplicate'; // the same trade delivered again
      const known: KnownPosition = {
        id: row.position_id,
        qty: row.position_qty!,
        avgPrice: row.position_avg_price!,
        realizedPnl: row.position_realized_pnl!,
        charges: row.position_charges!,
        revision: row.position_revision!,
        openTrip: row.position_open_trip,
      };
      const change = ledgerChange(known, fill);
      const brokerOrderId = row.broker_order_id ?? fill.brokerOrderId ?? null;
      const events: NewEvent[] = [];
      // A fill proves the order reached the broker: record PLACED first so events keep their order
      if (canMove(row.status as ExecutionStatus, ExecutionStatus.PLACED)) {
        events.push({ id: randomUUID(), ord: 0, type: ExecutionEventType.ORDER_PLACED, payload: { brokerOrderId } });
      }
      const filledBefore = new D(row.filled_qty);
      const filled = filledBefore.plus(fill.quantity);
      const qty = plannedQty ?? row.qty;
      const done = filled.gte(qty);
      const status = done ? ExecutionStatus.FILLED : ExecutionStatus.PARTIALLY_FILLED;
      const avgFillPrice = money(
        new D(row.avg_fill_price ?? 0).times(filledBefore).plus(new D(fill.price).times(fill.quantity)).div(filled),
      );
      events.push({
        id: randomUUID(),
        ord: events.length,
        type: ExecutionEventType.ORDER_FILLED,
        payload: {
          ...change.filledPayload,
          filledQty: money(filled),
          complete: done,
        },
      });
      const charges = money(new D(known.charges).plus(change.charges));
      const [written] = await tx.query<{ revision: number; events: WrittenEvent[] }>(APPLY_FILL_SQL, [
        change.position.qty,
        change.position.avgPrice,
        change.position.realizedPnl,
        charges,
        change.price,
        change.unrealized,
        change.openTrip,
        row.position_id,
        row.fill_id,
        row.id,
        change.closedTrips,
        qty,
        status,
        money(filled),
        avgFillPrice,
        money(new D(row.charges).plus(change.charges)),
        money(new D(row.pnl ?? 0).plus(change.realizedDelta)),
        brokerOrderId,
        row.id,
        row.id,
        row.alert_id,
        row.strategy_id,
        row.correlation_id,
        JSON.stringify(events),
      ]);
      const key = positionKey(row.strategy_id, row.symbol, row.mode);
      this.orderPositions.set(fill.clientOrderId, { key, plannedQty: plannedQty ?? undefined });
      this.positions.set(key, { ...known, ...change.position, charges, revision: written.revision });
      return { row, status, events: written.events };
    });
  }

  private publish(
    events: Array<{ id: string; type: string; at: Date | string; payload: Record<string, unknown> }>,
    execution: { id: string; alert_id: string; strategy_id: string; user_id: string; correlation_id: string },
  ): void {
    this.events.publish(
      events.map((event): { message: ExecutionEventMessage } => ({
        message: {
          id: event.id,
          type: event.type as ExecutionEventType,
          executionId: execution.id,
          alertId: execution.alert_id,
          correlationId: execution.correlation_id,
          strategyId: execution.strategy_id,
          at: new Date(event.at),
          payload: event.payload,
          userId: execution.user_id,
        },
      })),
    );
  }
}
