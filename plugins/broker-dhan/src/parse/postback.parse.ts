import type { OrderUpdate } from '@algodatta/broker-sdk';
import { isTrackedCorrelation } from '../correlation-id';
import { parseDhanOrder } from './order.parse';
import type { ParseContext } from './order.parse';

/*
 * Postback (DOCS /postback): Dhan POSTs the order JSON on every status change, modification and partial fill:
 * {"dhanClientId":"1000000003","orderId":"112111182198","correlationId":"123abc678","orderStatus":"TRADED",
 *  "transactionType":"BUY","exchangeSegment":"NSE_EQ","productType":"INTRADAY","orderType":"LIMIT","validity":"DAY",
 *  "securityId":"11536","quantity":5,"price":3345.8,"triggerPrice":0,"legName":null,"createTime":"2021-11-24 13:33:03",
 *  "updateTime":"2021-11-24 13:33:03","omsErrorCode":null,"omsErrorDescription":null, ...}
 * Postbacks carry no signature: a payload for another dhanClientId is not ours (null). Dedupe downstream by
 * (orderId, status, updateTime): Dhan may deliver one change more than once.
 */
export function parseDhanPostback(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  ctx: ParseContext & { clientId: string },
): OrderUpdate | null {
  void headers;
  let b = body;
  if (typeof b === 'string' || Buffer.isBuffer(b)) {
    try {
      b = JSON.parse(String(b));
    } catch {
      return null;
    }
  }
  if (!b || typeof b !== 'object' || Array.isArray(b)) return null;
  const p = b as Record<string, unknown>;
  if (typeof p.orderId !== 'string' && typeof p.orderId !== 'number') return null;
  if (p.dhanClientId !== undefined && String(p.dhanClientId) !== ctx.clientId) return null;
  try {
    const order = parseDhanOrder({ ...p, orderId: String(p.orderId) }, ctx);
    order.raw = body ?? null;
    return { kind: 'order', tracked: isTrackedCorrelation(p.correlationId), order, ts: order.updatedAt };
  } catch {
    return null;
  }
}
