import type { ExchangeSegment, Order } from '@algodatta/broker-sdk';
import { DHAN_ORDER_TYPE_MAP, DHAN_PRODUCT_MAP, mapDhanStatus } from '../dhan/dhan-enums.map';
import { clientOrderIdFromCorrelation, isTrackedCorrelation } from '../correlation-id';
import type { ParseContext } from './order.parse';
import { dec, int, parseIstDateTime, str } from './values.parse';

export type ParsedOrderAlert = {
  order: Order;
  tracked: boolean;
  // Cumulative filled quantity and the price of the latest trade, for fill extraction by the feed
  filledQuantity: number;
  lastTradePrice: string;
};

const SEGMENTS: Record<string, ExchangeSegment> = {
  'NSE|E': 'NSE_EQ',
  'NSE|D': 'NSE_FNO',
  'NSE|C': 'NSE_CURRENCY',
  'BSE|E': 'BSE_EQ',
  'BSE|D': 'BSE_FNO',
  'BSE|C': 'BSE_CURRENCY',
  'MCX|M': 'MCX_COMM',
  'MCX|D': 'MCX_COMM',
};

// Keys are PascalCase per the docs, but the SDK's fallback reads lowercase `orderNo`: accept any case
function lowerKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.toLowerCase()] = v;
  return out;
}

/*
 * Order-update WebSocket message (DOCS /order-update):
 * {"Type":"order_alert","Data":{"Exchange":"NSE","Segment":"E","SecurityId":"2885","ClientId":"1000000001",
 *  "OrderNo":"52000000001","ExchOrderNo":"1100000000001","Product":"I","TxnType":"B","OrderType":"LMT","Validity":"DAY",
 *  "Quantity":10,"TradedQty":10,"RemainingQuantity":0,"Price":2950,"TradedPrice":2950,"AvgTradedPrice":2950,
 *  "Status":"TRADED","Symbol":"RELIANCE","CorrelationId":"ad-7f3k2m9q","LastUpdatedTime":"2026-06-01 10:00:01", ...}}
 * Returns null for other message types and for other accounts' messages.
 */
export function parseOrderAlert(message: unknown, ctx: ParseContext & { clientId?: string }): ParsedOrderAlert | null {
  let m = message;
  if (typeof m === 'string' || Buffer.isBuffer(m)) {
    try {
      m = JSON.parse(String(m));
    } catch {
      return null;
    }
  }
  if (!m || typeof m !== 'object') return null;
  const top = lowerKeys(m as Record<string, unknown>);
  if (str(top.type)?.toLowerCase() !== 'order_alert' || !top.data || typeof top.data !== 'object') return null;
  const d = lowerKeys(top.data as Record<string, unknown>);
  const orderId = str(d.orderno) ?? str(d.orderid);
  if (!orderId) return null;
  const clientId = str(d.clientid);
  if (ctx.clientId && clientId && clientId !== ctx.clientId) return null;
  const quantity = int(d.quantity);
  const dhanStatus = (str(d.status) ?? 'PENDING').toUpperCase().replace(/\s+/g, '_');
  // Cumulative fills from quantity - remaining (documented), not TradedQty (per-trade or cumulative: unconfirmed)
  const remaining = d.remainingquantity !== undefined ? int(d.remainingquantity) : undefined;
  let filled =
    dhanStatus === 'TRADED' ? quantity : remaining !== undefined ? Math.max(0, quantity - remaining) : int(d.tradedqty);
  filled = Math.min(filled, quantity);
  const status = mapDhanStatus(dhanStatus, filled, quantity);
  const type = DHAN_ORDER_TYPE_MAP[(str(d.ordertype) ?? '').toUpperCase()] ?? 'MARKET';
  const segment =
    SEGMENTS[`${(str(d.exchange) ?? '').toUpperCase()}|${(str(d.segment) ?? '').toUpperCase()}`] ??
    (str(d.exchangesegment) as ExchangeSegment | undefined) ??
    'NSE_EQ';
  const createdAt = parseIstDateTime(d.orderdatetime) ?? ctx.now;
  const updatedAt = Math.max(createdAt, parseIstDateTime(d.lastupdatedtime) ?? ctx.now);
  const avg = dec(d.avgtradedprice);
  const last = dec(d.tradedprice);
  const correlationId = d.correlationid;
  const order: Order = {
    clientOrderId: clientOrderIdFromCorrelation(correlationId, orderId),
    brokerOrderId: orderId,
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(d.symbol) ?? str(d.displayname) ?? str(d.securityid) ?? 'UNKNOWN',
      exchangeSegment: segment,
      securityId: str(d.securityid),
    },
    side: ['S', 'SELL'].includes((str(d.txntype) ?? '').toUpperCase()) ? 'SELL' : 'BUY',
    type,
    product: DHAN_PRODUCT_MAP[(str(d.product) ?? '').toUpperCase()] ?? 'INTRADAY',
    timeInForce: (str(d.validity) ?? '').toUpperCase() === 'IOC' ? 'IOC' : 'DAY',
    quantity: String(Math.max(quantity, 1)),
    status,
    filledQuantity: String(filled),
    createdAt,
    updatedAt,
    raw: message ?? null,
  };
  if (type === 'LIMIT' || type === 'SL') order.price = dec(d.price);
  if (type === 'SL' || type === 'SL-M') order.triggerPrice = dec(d.triggerprice);
  if (filled > 0) order.averagePrice = avg !== '0' ? avg : last !== '0' ? last : dec(d.price);
  if (status === 'rejected') order.rejectReason = str(d.reasondescription) ?? str(d.remarks) ?? 'rejected by Dhan';
  return {
    order,
    tracked: isTrackedCorrelation(correlationId),
    filledQuantity: filled,
    lastTradePrice: last !== '0' ? last : avg,
  };
}
