import Decimal from 'decimal.js';
import { EXCHANGE_SEGMENTS } from '@algodatta/broker-sdk';
import type { ExchangeSegment, Order, TimeInForce } from '@algodatta/broker-sdk';
import { DHAN_ORDER_TYPE_MAP, DHAN_PRODUCT_MAP, mapDhanStatus } from '../dhan/dhan-enums.map';
import { clientOrderIdFromCorrelation } from '../correlation-id';
import { dec, int, parseIstDateTime, str } from './values.parse';

export type ParseContext = { broker: string; accountId: string; now: number };

export function toSegment(v: unknown): ExchangeSegment {
  const s = str(v)?.toUpperCase();
  if (s && (EXCHANGE_SEGMENTS as readonly string[]).includes(s)) return s as ExchangeSegment;
  throw new Error(`unsupported Dhan exchangeSegment "${String(v)}"`);
}

/*
 * GET /orders/{id} (DhanHQ-py tests/data/get-order-by-id.json, data only):
 * {"dhanClientId":"1000000003","orderId":"112111182198","correlationId":"123abc678","orderStatus":"PENDING",
 *  "transactionType":"BUY","exchangeSegment":"NSE_EQ","productType":"INTRADAY","orderType":"MARKET","validity":"DAY",
 *  "tradingSymbol":"","securityId":"11536","quantity":5,"disclosedQuantity":0,"price":0.0,"triggerPrice":0.0,
 *  "afterMarketOrder":false,"createTime":"2021-11-24 13:33:03","updateTime":"2021-11-24 13:33:03",
 *  "omsErrorCode":"","omsErrorDescription":"","remainingQuantity":5,"averageTradedPrice":0,"filledQty":0}
 */
// The order book has filledQty; postbacks only say TRADED (all filled) or PART_TRADED (amount unknown)
function filledOf(o: Record<string, unknown>, quantity: number, status: string): number {
  if (o.filledQty !== undefined && o.filledQty !== null) return int(o.filledQty);
  if (o.remainingQuantity !== undefined && o.remainingQuantity !== null)
    return Math.max(0, quantity - int(o.remainingQuantity));
  return status === 'TRADED' ? quantity : 0;
}

export function parseDhanOrder(raw: unknown, ctx: ParseContext): Order {
  const o = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown>;
  if (!o || typeof o !== 'object' || !str(o.orderId)) throw new Error('not a Dhan order');
  const orderId = str(o.orderId) as string;
  const quantity = int(o.quantity);
  const dhanStatus = str(o.orderStatus)?.toUpperCase() ?? 'TRANSIT';
  const filled = filledOf(o, quantity, dhanStatus);
  const status = mapDhanStatus(dhanStatus, filled, quantity);
  const type = DHAN_ORDER_TYPE_MAP[str(o.orderType)?.toUpperCase() ?? ''] ?? 'MARKET';
  const hasPrice = type === 'LIMIT' || type === 'SL';
  const hasTrigger = type === 'SL' || type === 'SL-M';
  const createdAt = parseIstDateTime(o.createTime) ?? ctx.now;
  const updatedAt = Math.max(createdAt, parseIstDateTime(o.updateTime) ?? createdAt);
  let averagePrice: string | undefined;
  if (filled > 0) {
    const avg = dec(o.averageTradedPrice);
    // Postbacks carry no average: fall back to the order price; getOrder has the exact one
    averagePrice = new Decimal(avg).gt(0) ? avg : dec(o.price);
  }
  const order: Order = {
    clientOrderId: clientOrderIdFromCorrelation(o.correlationId, orderId),
    brokerOrderId: orderId,
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(o.tradingSymbol) ?? str(o.securityId) ?? 'UNKNOWN',
      exchangeSegment: toSegment(o.exchangeSegment),
      securityId: str(o.securityId),
    },
    side: str(o.transactionType)?.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    type,
    product: DHAN_PRODUCT_MAP[str(o.productType)?.toUpperCase() ?? ''] ?? 'INTRADAY',
    timeInForce: (str(o.validity)?.toUpperCase() === 'IOC' ? 'IOC' : 'DAY') as TimeInForce,
    quantity: String(Math.max(quantity, filled)),
    status,
    filledQuantity: String(filled),
    createdAt,
    updatedAt,
    raw: raw ?? null,
  };
  if (hasPrice) order.price = dec(o.price);
  if (hasTrigger) order.triggerPrice = dec(o.triggerPrice);
  if (averagePrice) order.averagePrice = averagePrice;
  // The exchange algo id Dhan stamps on API orders (SEBI retail-algo rule); empty on orders from other platforms
  const algoId = str(o.algoId);
  if (algoId && algoId !== '0') order.exchangeAlgoId = algoId;
  const reason = str(o.omsErrorDescription);
  if (status === 'rejected') order.rejectReason = reason ?? str(o.omsErrorCode) ?? 'rejected by Dhan';
  return order;
}
