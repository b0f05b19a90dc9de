import type { WebhookParse, WebhookRequest } from '@algodatta/broker-sdk';
import { clientOrderIdFromCorrelation } from '../correlation-id';

const HINT = 'body must be a DhanHQ postback JSON object';

/*
 * has.webhooks: which order a postback names (the plugin-level parseWebhook). Dhan POSTs the order JSON on every
 * change: {"dhanClientId":"1000000003","orderId":"112111182198","correlationId":"123abc678","orderStatus":"TRADED",...}.
 * Only the identifiers are taken: postbacks carry no signature, so the host reads the order back from Dhan.
 */
export function parseDhanPostbackRef(request: WebhookRequest): WebhookParse {
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { ok: false, problems: [{ path: '', message: `${HINT} (the text is not valid JSON)` }] };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, problems: [{ path: '', message: HINT }] };
  const p = body as Record<string, unknown>;
  const orderId = typeof p.orderId === 'number' || typeof p.orderId === 'string' ? String(p.orderId).trim() : '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId))
    return { ok: false, problems: [{ path: 'orderId', message: 'orderId is required' }] };
  return {
    ok: true,
    ref: {
      brokerOrderId: orderId,
      clientOrderId: clientOrderIdFromCorrelation(p.correlationId, orderId),
      ...(p.dhanClientId !== undefined && p.dhanClientId !== null && { accountClientId: String(p.dhanClientId) }),
      ...(typeof p.orderStatus === 'string' && { status: p.orderStatus.slice(0, 32) }),
    },
  };
}
