import type { Fill, Order, OrderStatus } from '@algodatta/broker-sdk';
import type { Sql } from '../../../db/sql';
import { D } from '../../../shared/decimal';
import { ExecutionEventType } from '../../../shared/enums';
import { RecentMap } from '../../../shared/recent-map';
import type { ExecutionEventsService } from '../execution-events.service';
import {
  cancelUnsentLegs,
  LEG_DONE,
  legOwner,
  LegRow,
  legsEndedShort,
  LegStatus,
  recordLegFailure,
  recordLegOrder,
} from '../store/legs.sql';

const LEG_STATUS: Record<OrderStatus, LegStatus> = {
  pending_submit: 'PLACED',
  open: 'PLACED',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  rejected: 'REJECTED',
  cancelled: 'CANCELLED',
  expired: 'CANCELLED',
};

type Owner = { executionId: string; clientOrderId: string };
/** The execution-level path of order-updates.service.ts (an order or fill under the execution's own clientOrderId). */
export type ExecutionPath = { order(order: Order): Promise<void>; fill(fill: Fill): Promise<void> };

// A leg's order and fills, from whatever delivered them, become the leg's row and a report on its execution:
// fills count into the execution as they are (its qty is every leg's, so it is FILLED only when all are), the
// execution is PLACED once any leg is at the broker, and a leg refused or cancelled ends it honestly: REJECTED
// (or CANCELLED) as a single order would be when nothing of it filled, otherwise what filled stays and the
// execution says why the rest did not (leg_rejected, an ERROR event), CANCELLED once no leg can fill any more.
export class LegOrders {
  private readonly owners = new RecentMap<string, Owner>(20_000);

  constructor(
    private readonly sql: Sql,
    private readonly events: ExecutionEventsService,
    private readonly execution: ExecutionPath,
  ) {}

  async order(order: Order): Promise<void> {
    const owner = await this.ownerOf(order.clientOrderId);
    // An execution's own id may end like a leg's (base64url has '-'): not a leg, the execution path decides
    if (!owner) return this.execution.order(order);
    const status = LEG_STATUS[order.status];
    const legs = await recordLegOrder(this.sql, owner.executionId, {
      clientOrderId: order.clientOrderId,
      brokerOrderId: order.brokerOrderId,
      status,
      filledQty: order.filledQuantity,
      avgFillPrice: order.averagePrice,
      error: order.rejectReason,
    });
    const asExecution: Order = { ...order, clientOrderId: owner.clientOrderId };
    if (status !== 'REJECTED' && status !== 'CANCELLED') await this.execution.order({ ...asExecution, status: 'open' });
    else {
      const leg = legs.find(
        (l) => l.clientOrderId === order.clientOrderId && (!l.brokerOrderId || l.brokerOrderId === order.brokerOrderId),
      );
      await this.legEnded(owner, asExecution, legs, leg);
    }
    await this.settle(owner);
  }

  async fill(fill: Fill): Promise<void> {
    const owner = await this.ownerOf(fill.clientOrderId);
    if (!owner) return this.execution.fill(fill);
    await this.execution.fill({ ...fill, clientOrderId: owner.clientOrderId });
    await this.settle(owner);
  }

  // Every leg is over, some refused, and what the others filled is recorded: the rest of the quantity will never
  // trade, so the execution ends CANCELLED with what filled (as a single order partly filled and then cancelled);
  // left open, the next alert would count the missing units as still working and the poll would read it forever
  private async settle(owner: Owner): Promise<void> {
    if (await legsEndedShort(this.sql, owner.executionId))
      await this.execution.order({ clientOrderId: owner.clientOrderId, status: 'cancelled' } as Order);
  }

  private async legEnded(owner: Owner, order: Order, legs: LegRow[], leg: LegRow | undefined): Promise<void> {
    const filled = legs.reduce((sum, l) => sum.plus(l.filledQty), new D(0));
    const settled = legs.every((l) => LEG_DONE.has(l.status));
    // Nothing of it went through: the execution ends as its one order would have
    if (filled.eq(0) && settled) return this.execution.order(order);
    const what = order.status === 'rejected' ? 'refused by the broker' : 'cancelled at the broker';
    const message =
      `leg ${leg?.leg ?? '?'} of ${legs.length} (${leg ? new D(leg.qty).toFixed() : '?'} units) ${what}` +
      (order.rejectReason ? `: ${order.rejectReason}` : '') +
      `; ${filled.toFixed()} units filled`;
    await this.note(owner, message);
  }

  /**
   * Legs not sent yet will not be (the kill switch turned on before the recovery sweep got to them): they are
   * CANCELLED, the execution says so, and ends as its legs do.
   */
  async stop(executionId: string, clientOrderId: string, why: string): Promise<void> {
    const owner = { executionId, clientOrderId };
    await cancelUnsentLegs(this.sql, executionId, why);
    await this.note(owner, why);
    await this.settle(owner);
  }

  // Why part of the execution's quantity did not trade: reject_reason leg_rejected and an ERROR event, once
  private async note(owner: Owner, message: string): Promise<void> {
    const event = await recordLegFailure(this.sql, owner.executionId, message);
    if (event) {
      this.events.publish([
        {
          message: {
            id: event.id,
            type: ExecutionEventType.ERROR,
            executionId: owner.executionId,
            alertId: event.alertId,
            correlationId: event.correlationId,
            strategyId: event.strategyId,
            at: new Date(event.at),
            payload: { code: 'leg_rejected', message },
            userId: event.userId,
          },
        },
      ]);
    }
  }

  private async ownerOf(clientOrderId: string): Promise<Owner | null> {
    const known = this.owners.get(clientOrderId);
    if (known) return known;
    const owner = await legOwner(this.sql, clientOrderId);
    if (owner) this.owners.set(clientOrderId, owner);
    return owner;
  }
}
