import { BrokerClient, isBrokerError, Order, OrderRequest, UnknownOutcomeError } from '@algodatta/broker-sdk';
import type Decimal from 'decimal.js';
import type { Sql } from '../../../db/sql';
import { D } from '../../../shared/decimal';
import { logger } from '../../../shared/logger';
import {
  cancelUnsentLegs,
  insertLegs,
  insertSlicedLegs,
  LEG_DONE,
  legClientOrderId,
  legsOf,
  LegRow,
  recordLegOrder,
  slicedClientOrderId,
} from '../store/legs.sql';

/** More legs than this for one alert is a mistake (a qty typo), not an order: refused as invalid_quantity. */
export const MAX_LEGS = 50;

/**
 * The quantities of the legs of `qty` when it is above the exchange freeze limit, each a whole number of lots and
 * at most the limit; null when one order may carry it.
 */
export function splitAtFreeze(qty: Decimal, freeze: Decimal, lotSize: Decimal): Decimal[] | null {
  if (qty.lte(freeze)) return null;
  const lot = lotSize.gt(0) ? lotSize : new D(1);
  const perLeg = D.max(freeze.div(lot).floor().times(lot), lot);
  const legs: Decimal[] = [];
  for (let left = new D(qty); left.gt(0); left = left.minus(perLeg)) legs.push(D.min(left, perLeg));
  return legs;
}

type Io = {
  /** The order at the broker by clientOrderId (or brokerOrderId), null when it has none */
  find(client: BrokerClient, ref: { clientOrderId: string; brokerOrderId?: string }): Promise<Order | null>;
  /** Records an order's state and its fills the broker already has (always when readFills; else as placing does) */
  adopt(client: BrokerClient, order: Order, readFills?: boolean): Promise<void>;
  /** The broker-update path (a leg's refusal is reported through it like any order's) */
  applyOrder(order: Order): Promise<void>;
};

// Refused for good (the failure handler's rule): anything else may have reached the broker, or may work later
const refused = (error: unknown) => isBrokerError(error) && !error.retryable && !(error instanceof UnknownOutcomeError);

// Sending an execution's quantity above the freeze limit as legs, all tied to that one execution (issue 18). A
// broker that slices (has.sliceOrders) gets one call and reports its legs; otherwise the core sends one order per
// leg, each with its own deterministic clientOrderId written down before the first is sent, so a retry, or the
// recovery sweep after a crash between legs, looks each unsent leg up at the broker before sending it: no leg is
// ever sent twice. A leg the broker refuses stops the legs after it (CANCELLED, never sent); what went out stays.
export class OrderLegs {
  constructor(
    private readonly sql: Sql,
    private readonly io: Io,
  ) {}

  async placeSliced(client: BrokerClient, executionId: string, base: string, request: OrderRequest): Promise<Order[]> {
    const clientOrderId = slicedClientOrderId(base);
    const orders = await client.placeSlicedOrder!({ ...request, clientOrderId });
    await this.recordSliced(client, executionId, clientOrderId, orders);
    return orders;
  }

  async placeCore(
    client: BrokerClient,
    executionId: string,
    base: string,
    request: OrderRequest,
    quantities: Decimal[],
  ): Promise<Order[]> {
    const rows = await insertLegs(
      this.sql,
      executionId,
      quantities.map((q, i) => ({ clientOrderId: legClientOrderId(base, i + 1), qty: q.toFixed() })),
    );
    return this.send(client, executionId, request, rows, false);
  }

  /**
   * A later attempt at an execution that may have legs: the unsent ones go out (each looked up first) and null
   * means nothing of it reached the broker as legs (plan and place it afresh).
   */
  async resume(
    client: BrokerClient,
    executionId: string,
    base: string,
    request: OrderRequest,
  ): Promise<Order[] | null> {
    const rows = await legsOf(this.sql, executionId);
    if (rows.length) return this.send(client, executionId, request, rows, true);
    if (!client.placeSlicedOrder) return null;
    // A sliced order whose answer was lost: the broker's book has its legs
    const clientOrderId = slicedClientOrderId(base);
    if (!(await this.io.find(client, { clientOrderId }))) return null;
    const orders = (await client.listOrders()).filter((o) => o.clientOrderId === clientOrderId);
    await this.recordSliced(client, executionId, clientOrderId, orders);
    return orders;
  }

  /**
   * Reads the legs of an open execution back from the broker with their fills (the poll, a postback, the read-back
   * after placing); true while any leg is open, null when it has no legs. A leg reported filled is read too: its
   * fills may not be recorded yet.
   */
  async readBack(client: BrokerClient, executionId: string): Promise<boolean | null> {
    const rows = await legsOf(this.sql, executionId);
    if (!rows.length) return null;
    let open = false;
    for (const row of rows) {
      if (
        row.status === 'NEW' ||
        ((row.status === 'REJECTED' || row.status === 'CANCELLED') && new D(row.filledQty).eq(0))
      )
        continue;
      const order = await this.io.find(client, {
        clientOrderId: row.clientOrderId,
        ...(row.brokerOrderId && { brokerOrderId: row.brokerOrderId }),
      });
      if (!order) continue;
      await this.io.adopt(client, order, true);
      open ||= !['filled', 'rejected', 'cancelled', 'expired'].includes(order.status);
    }
    return open;
  }

  /** The legs still working at the broker, to cancel (kill switch, a disabled user); [] when it has none. */
  async working(executionId: string): Promise<LegRow[]> {
    return (await legsOf(this.sql, executionId)).filter((l) => !LEG_DONE.has(l.status) && l.status !== 'NEW');
  }

  private async recordSliced(client: BrokerClient, executionId: string, clientOrderId: string, orders: Order[]) {
    await insertSlicedLegs(
      this.sql,
      executionId,
      clientOrderId,
      orders.filter((o) => o.brokerOrderId).map((o) => ({ brokerOrderId: o.brokerOrderId!, qty: o.quantity })),
    );
    for (const order of orders) await this.io.adopt(client, order);
  }

  private async send(
    client: BrokerClient,
    executionId: string,
    request: OrderRequest,
    rows: LegRow[],
    lookFirst: boolean,
  ): Promise<Order[]> {
    const sent: Order[] = [];
    for (const row of rows) {
      if (row.status !== 'NEW') continue;
      let order = lookFirst ? await this.io.find(client, { clientOrderId: row.clientOrderId }) : null;
      if (!order) {
        const leg: OrderRequest = { ...request, clientOrderId: row.clientOrderId, quantity: new D(row.qty).toFixed() };
        try {
          order = await client.placeOrder(leg);
        } catch (error) {
          if (refused(error)) {
            await this.refuse(executionId, leg, row, error as Error);
            // Nothing went out: the execution is refused like a single order (the failure handler)
            if (row.leg === 1) throw error;
            return sent;
          }
          // Nothing went out yet: the execution's own retry takes it (looking this leg up first)
          if (row.leg === 1) throw error;
          // Some legs are out, so the execution is no longer waiting: the recovery sweep sends the rest
          logger.warn('sending a leg failed; the recovery sweep resumes it', {
            executionId,
            leg: row.leg,
            error: (error as Error).message,
          });
          return sent;
        }
      }
      sent.push(order);
      await this.io.adopt(client, order);
    }
    return sent;
  }

  // The broker said no to this leg: it is REJECTED, the legs after it are not sent, and the execution hears of it
  // through the broker-update path (refused outright when nothing of it went out, leg_rejected otherwise)
  private async refuse(executionId: string, leg: OrderRequest, row: LegRow, error: Error): Promise<void> {
    await cancelUnsentLegs(this.sql, executionId, `not sent: leg ${row.leg} was refused by the broker`);
    await recordLegOrder(this.sql, executionId, {
      clientOrderId: row.clientOrderId,
      status: 'REJECTED',
      filledQty: '0',
      error: error.message,
    });
    if (row.leg === 1) return;
    const now = Date.now();
    await this.io.applyOrder({
      clientOrderId: leg.clientOrderId,
      broker: isBrokerError(error) ? error.broker : 'unknown',
      accountId: '',
      instrument: leg.instrument,
      side: leg.side,
      type: leg.type,
      product: leg.product,
      timeInForce: leg.timeInForce ?? 'DAY',
      quantity: leg.quantity,
      status: 'rejected',
      filledQuantity: '0',
      rejectReason: error.message,
      createdAt: now,
      updatedAt: now,
    } as Order);
  }
}
