// GET /super/orders rows -> the SDK's BracketOrder
import type { BracketLeg, BracketOrder, BracketStatus, OrderStatus } from '@algodatta/broker-sdk';
import { clientOrderIdFromCorrelation } from '../correlation-id';
import { DHAN_PRODUCT_MAP } from '../dhan/dhan-enums.map';
import { toSegment } from '../parse/order.parse';
import type { ParseContext } from '../parse/order.parse';
import { dec, int, parseIstDateTime, str } from '../parse/values.parse';

// The super order's own status: TRADED means the entry filled and the exits are working
export const SUPER_STATUS_MAP: Record<string, BracketStatus> = {
  TRANSIT: 'pending_submit',
  PENDING: 'open',
  PART_TRADED: 'partially_filled',
  TRADED: 'active',
  TRIGGERED: 'triggered',
  CLOSED: 'closed',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
};
// One leg's status; a triggered stop is working at the exchange
const LEG_STATUS_MAP: Record<string, OrderStatus> = {
  TRANSIT: 'pending_submit',
  PENDING: 'open',
  TRIGGERED: 'open',
  PART_TRADED: 'partially_filled',
  TRADED: 'filled',
  CLOSED: 'filled',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
};
const LEG_NAMES: Record<string, BracketLeg['leg']> = {
  ENTRY_LEG: 'entry',
  TARGET_LEG: 'target',
  STOP_LOSS_LEG: 'stopLoss',
};

/*
 * GET /super/orders (DOCS super-order; trimmed):
 * [{"dhanClientId":"1100003626","orderId":"5925022734212","correlationId":"ad-7f3k","orderStatus":"TRADED",
 *   "transactionType":"BUY","exchangeSegment":"NSE_EQ","productType":"INTRADAY","orderType":"LIMIT",
 *   "tradingSymbol":"RELIANCE","securityId":"2885","quantity":10,"remainingQuantity":0,"price":2950,
 *   "legName":"ENTRY_LEG","createTime":"2026-11-30 10:01:02","updateTime":"…","averageTradedPrice":2950,"filledQty":10,
 *   "legDetails":[{"orderId":"5925022734213","legName":"TARGET_LEG","transactionType":"SELL","totalQuatity":10,
 *     "remainingQuantity":10,"triggeredQuantity":0,"price":3000,"orderStatus":"PENDING","trailingJump":0},
 *    {"orderId":"5925022734214","legName":"STOP_LOSS_LEG","transactionType":"SELL","totalQuatity":10,
 *     "remainingQuantity":10,"triggeredQuantity":0,"price":2900,"orderStatus":"PENDING","trailingJump":5}]}]
 * ("totalQuatity" is spelled so on the wire.)
 */
export function parseSuperOrder(raw: unknown, ctx: ParseContext): BracketOrder {
  const o = raw as Record<string, unknown>;
  const orderId = str(o?.orderId);
  if (!orderId) throw new Error('not a Dhan super order');
  const status = SUPER_STATUS_MAP[str(o.orderStatus)?.toUpperCase() ?? ''];
  if (!status) throw new Error(`unknown Dhan super order status "${String(o.orderStatus)}"`);
  const side = str(o.transactionType)?.toUpperCase() === 'SELL' ? 'SELL' : 'BUY';
  const quantity = int(o.quantity);
  const filled = int(o.filledQty);
  const entryStatus: OrderStatus = ['active', 'triggered', 'closed'].includes(status)
    ? 'filled'
    : status === 'open' && filled > 0
      ? 'partially_filled'
      : (LEG_STATUS_MAP[str(o.orderStatus)?.toUpperCase() ?? ''] ?? 'open');
  const legs: BracketLeg[] = [
    {
      leg: 'entry',
      brokerOrderId: orderId,
      side,
      quantity: String(quantity),
      price: dec(o.price),
      status: entryStatus,
      filledQuantity: String(entryStatus === 'filled' ? quantity : filled),
    },
  ];
  for (const l of Array.isArray(o.legDetails) ? (o.legDetails as Record<string, unknown>[]) : []) {
    const leg = LEG_NAMES[str(l.legName)?.toUpperCase() ?? ''];
    if (!leg || leg === 'entry') continue;
    const total = int(l.totalQuatity ?? l.totalQuantity ?? l.quantity ?? quantity);
    const legStatus = LEG_STATUS_MAP[str(l.orderStatus)?.toUpperCase() ?? ''] ?? 'open';
    const legFilled = legStatus === 'filled' ? total : Math.max(0, total - int(l.remainingQuantity ?? total));
    const out: BracketLeg = {
      leg,
      side: str(l.transactionType)?.toUpperCase() === 'BUY' ? 'BUY' : 'SELL',
      quantity: String(total),
      price: dec(l.price),
      status: legStatus,
      filledQuantity: String(legStatus === 'partially_filled' || legStatus === 'filled' ? legFilled : 0),
    };
    const legId = str(l.orderId);
    if (legId) out.brokerOrderId = legId;
    if (leg === 'stopLoss') out.trailingJump = dec(l.trailingJump);
    legs.push(out);
  }
  const createdAt = parseIstDateTime(o.createTime) ?? ctx.now;
  return {
    clientOrderId: clientOrderIdFromCorrelation(o.correlationId, orderId),
    brokerOrderId: orderId,
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(o.tradingSymbol) ?? str(o.securityId) ?? 'UNKNOWN',
      exchangeSegment: toSegment(o.exchangeSegment),
      securityId: str(o.securityId),
    },
    side,
    product: DHAN_PRODUCT_MAP[str(o.productType)?.toUpperCase() ?? ''] ?? 'INTRADAY',
    quantity: String(Math.max(quantity, 1)),
    status,
    legs,
    createdAt,
    updatedAt: Math.max(createdAt, parseIstDateTime(o.updateTime) ?? createdAt),
    raw: raw ?? null,
  };
}
