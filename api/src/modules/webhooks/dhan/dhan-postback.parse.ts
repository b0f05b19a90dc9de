import { clientOrderIdFromCorrelation } from '@algodatta/broker-dhan';
import { parseJsonObject } from '../../../rest/json-object-body';

export type DhanPostbackRef = { orderId: string; clientOrderId: string; dhanClientId?: string; status?: string };
export type PostbackParse = { ok: true; ref: DhanPostbackRef } | { ok: false; details: { path: string; message: string }[] };

// Only the identifiers are taken from a postback: it is unauthenticated, so its status, quantities and
// prices are never trusted (the order is read back from Dhan instead).
export function parseDhanPostbackRef(raw: string): PostbackParse {
  const json = parseJsonObject(raw, 'body must be a DhanHQ postback JSON object');
  if (!json.ok) return json;
  const p = json.body;
  const orderId = typeof p.orderId === 'number' || typeof p.orderId === 'string' ? String(p.orderId).trim() : '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) return { ok: false, details: [{ path: 'orderId', message: 'orderId is required' }] };
  const ref: DhanPostbackRef = { orderId, clientOrderId: clientOrderIdFromCorrelation(p.correlationId, orderId) };
  if (p.dhanClientId !== undefined && p.dhanClientId !== null) ref.dhanClientId = String(p.dhanClientId);
  if (typeof p.orderStatus === 'string') ref.status = p.orderStatus.slice(0, 32);
  return { ok: true, ref };
}
