// has.bracketOrders for Dhan: the Super Order (POST/PUT/DELETE/GET /super/orders, DhanHQ-py _super_order.py)
import Decimal from 'decimal.js';
import {
  DuplicateOrderError,
  InvalidOrderError,
  OrderNotFoundError,
  UnknownOutcomeError,
  bracketLegPatchSchema,
  bracketOrderRequestSchema,
} from '@algodatta/broker-sdk';
import type {
  BracketLegName,
  BracketLegPatch,
  BracketOrder,
  BracketOrderRequest,
  OrderRef,
} from '@algodatta/broker-sdk';
import { toCorrelationId } from '../correlation-id';
import { PRODUCT_TO_DHAN } from '../dhan/dhan-enums.map';
import type { DhanOrderAck } from '../dhan/dhan.types';
import { BROKER_NAME } from '../error-map';
import type { DhanOp } from '../error-map';
import type { DhanRequest } from '../http/dhan-http.client';
import type { ParseContext } from '../parse/order.parse';
import { SUPER_STATUS_MAP, parseSuperOrder } from './super-order.parse';

export type SuperOrderDeps = {
  call<T>(req: DhanRequest, op: DhanOp, what: string, clientOrderId?: string): Promise<T>;
  pctx(): ParseContext;
  securityFor(instrument: BracketOrderRequest['instrument']): Promise<{ securityId: string; lotSize?: string }>;
  lookupBeforePlace: boolean;
  orderTimeoutMs: number;
  reconcileDelayMs: number;
};

const LEG_WIRE: Record<BracketLegName, string> = {
  entry: 'ENTRY_LEG',
  target: 'TARGET_LEG',
  stopLoss: 'STOP_LOSS_LEG',
};
const bad = (msg: string): never => {
  throw new InvalidOrderError(`dhan: ${msg}`, { broker: BROKER_NAME });
};

export async function listSuperOrders(d: SuperOrderDeps): Promise<BracketOrder[]> {
  const raw = await d.call<unknown[]>({ method: 'GET', path: '/super/orders' }, 'read', 'list super orders');
  return (Array.isArray(raw) ? raw : []).map((o) => parseSuperOrder(o, d.pctx()));
}

export async function getSuperOrder(d: SuperOrderDeps, ref: OrderRef): Promise<BracketOrder> {
  const all = await listSuperOrders(d);
  const hit = ref.brokerOrderId
    ? all.find((o) => o.brokerOrderId === ref.brokerOrderId)
    : all.filter((o) => o.clientOrderId === ref.clientOrderId).sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!hit)
    throw new OrderNotFoundError(`dhan: no super order ${ref.brokerOrderId ?? ref.clientOrderId}`, {
      broker: BROKER_NAME,
    });
  return hit;
}

export async function placeSuperOrder(d: SuperOrderDeps, request: BracketOrderRequest): Promise<BracketOrder> {
  const parsed = bracketOrderRequestSchema.safeParse(request);
  if (!parsed.success)
    bad(`invalid bracket order: ${parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const r = parsed.data!;
  const correlationId = toCorrelationId(r.clientOrderId);
  if (r.type === 'LIMIT' && !r.price) bad('a LIMIT entry needs a price');
  if (r.type === 'MARKET' && r.price) bad('a MARKET entry takes no price');
  const target = new Decimal(r.targetPrice);
  const stop = new Decimal(r.stopLossPrice);
  // The SDK's own check: for a BUY target > entry > stop-loss, for a SELL the reverse
  const ref = r.price ? new Decimal(r.price) : null;
  const buy = r.side === 'BUY';
  if (buy ? !target.gt(stop) : !target.lt(stop))
    bad(
      `${r.side} bracket: target ${r.targetPrice} must be ${buy ? 'above' : 'below'} the stop-loss ${r.stopLossPrice}`,
    );
  if (ref && (buy ? !(target.gt(ref) && stop.lt(ref)) : !(target.lt(ref) && stop.gt(ref)))) {
    bad(
      `${r.side} bracket: the entry ${r.price} must lie between the stop-loss ${r.stopLossPrice} and the target ${r.targetPrice}`,
    );
  }
  const qty = new Decimal(r.quantity);
  if (!qty.isInteger()) bad(`quantity must be whole units (got ${r.quantity})`);
  const { securityId } = await d.securityFor(r.instrument);
  if (d.lookupBeforePlace) {
    const existing = await getSuperOrder(d, { clientOrderId: r.clientOrderId }).catch((e: unknown) => {
      if (e instanceof OrderNotFoundError) return null;
      throw e;
    });
    if (existing)
      throw new DuplicateOrderError(
        `dhan: clientOrderId ${r.clientOrderId} already placed as super order ${existing.brokerOrderId}`,
        { broker: BROKER_NAME },
      );
  }
  const body: Record<string, unknown> = {
    correlationId,
    transactionType: r.side,
    exchangeSegment: r.instrument.exchangeSegment,
    productType: PRODUCT_TO_DHAN[r.product],
    orderType: r.type,
    securityId,
    quantity: qty.toNumber(),
    price: r.price ? Number(r.price) : 0,
    targetPrice: Number(r.targetPrice),
    stopLossPrice: Number(r.stopLossPrice),
    trailingJump: r.trailingJump ? Number(r.trailingJump) : 0,
  };
  let ack: DhanOrderAck;
  try {
    ack = await d.call<DhanOrderAck>(
      { method: 'POST', path: '/super/orders', body, timeoutMs: d.orderTimeoutMs },
      'write',
      'place super order',
      r.clientOrderId,
    );
  } catch (e) {
    // A lost answer: the super order may exist; its correlationId decides before anyone re-sends
    if (!(e instanceof UnknownOutcomeError)) throw e;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await new Promise((res) => setTimeout(res, d.reconcileDelayMs * attempt));
      const found = await getSuperOrder(d, { clientOrderId: r.clientOrderId }).catch(() => null);
      if (found) return found;
    }
    throw e;
  }
  const now = d.pctx().now;
  const side = r.side;
  const exit = side === 'BUY' ? 'SELL' : 'BUY';
  return {
    clientOrderId: r.clientOrderId,
    brokerOrderId: String(ack.orderId),
    broker: BROKER_NAME,
    accountId: d.pctx().accountId,
    instrument: { symbol: r.instrument.symbol, exchangeSegment: r.instrument.exchangeSegment, securityId },
    side,
    product: r.product,
    quantity: qty.toFixed(),
    status: SUPER_STATUS_MAP[String(ack.orderStatus ?? 'TRANSIT').toUpperCase()] ?? 'pending_submit',
    legs: [
      {
        leg: 'entry',
        brokerOrderId: String(ack.orderId),
        side,
        quantity: qty.toFixed(),
        price: r.price ?? '0',
        status: 'pending_submit',
        filledQuantity: '0',
      },
      {
        leg: 'target',
        side: exit,
        quantity: qty.toFixed(),
        price: r.targetPrice,
        status: 'pending_submit',
        filledQuantity: '0',
      },
      {
        leg: 'stopLoss',
        side: exit,
        quantity: qty.toFixed(),
        price: r.stopLossPrice,
        status: 'pending_submit',
        filledQuantity: '0',
        trailingJump: r.trailingJump ?? '0',
      },
    ],
    createdAt: now,
    updatedAt: now,
    raw: ack,
  };
}

export async function modifySuperOrder(
  d: SuperOrderDeps,
  ref: OrderRef,
  leg: BracketLegName,
  patch: BracketLegPatch,
): Promise<BracketOrder> {
  const parsed = bracketLegPatchSchema.safeParse(patch);
  if (!parsed.success)
    bad(`invalid bracket modify: ${parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const p = parsed.data!;
  if (Object.values(p).every((v) => v === undefined)) bad('bracket modify with nothing to change');
  if (leg !== 'entry' && p.quantity !== undefined) bad('only the entry leg takes a new quantity');
  if (leg === 'target' && p.trailingJump !== undefined) bad('the target leg has no trailing jump');
  const current = await getSuperOrder(d, ref);
  const legOf = (name: BracketLegName) => current.legs.find((l) => l.leg === name);
  const raw = current.raw as Record<string, unknown>;
  let body: Record<string, unknown>;
  if (leg === 'entry') {
    body = {
      orderId: current.brokerOrderId,
      orderType: raw?.orderType ?? 'LIMIT',
      legName: 'ENTRY_LEG',
      quantity: Number(p.quantity ?? current.quantity),
      price: Number(p.price ?? legOf('entry')?.price ?? 0),
      targetPrice: Number(legOf('target')?.price ?? 0),
      stopLossPrice: Number(legOf('stopLoss')?.price ?? 0),
      trailingJump: Number(p.trailingJump ?? legOf('stopLoss')?.trailingJump ?? 0),
    };
  } else if (leg === 'target') {
    body = {
      orderId: current.brokerOrderId,
      legName: 'TARGET_LEG',
      targetPrice: Number(p.price ?? legOf('target')?.price ?? 0),
    };
  } else {
    body = {
      orderId: current.brokerOrderId,
      legName: 'STOP_LOSS_LEG',
      stopLossPrice: Number(p.price ?? legOf('stopLoss')?.price ?? 0),
      trailingJump: Number(p.trailingJump ?? legOf('stopLoss')?.trailingJump ?? 0),
    };
  }
  await d.call<unknown>(
    {
      method: 'PUT',
      path: `/super/orders/${encodeURIComponent(current.brokerOrderId)}`,
      body,
      timeoutMs: d.orderTimeoutMs,
    },
    'write',
    `modify super order ${LEG_WIRE[leg]}`,
    current.clientOrderId,
  );
  return getSuperOrder(d, { clientOrderId: current.clientOrderId, brokerOrderId: current.brokerOrderId });
}

export async function cancelSuperOrder(
  d: SuperOrderDeps,
  ref: OrderRef,
  leg: BracketLegName = 'entry',
): Promise<BracketOrder> {
  const current = await getSuperOrder(d, ref);
  await d.call<unknown>(
    {
      method: 'DELETE',
      path: `/super/orders/${encodeURIComponent(current.brokerOrderId)}/${LEG_WIRE[leg]}`,
      timeoutMs: d.orderTimeoutMs,
    },
    'write',
    `cancel super order ${LEG_WIRE[leg]}`,
    current.clientOrderId,
  );
  return getSuperOrder(d, { clientOrderId: current.clientOrderId, brokerOrderId: current.brokerOrderId });
}
