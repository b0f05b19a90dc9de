// has.webhooks: the exchange POSTs {"order_id":"EX7","client_ref":"ad-7f3k2m9q","client_id":"EX-1001","status":"DONE"}
// to the host's /api/webhook/brokers/example/postback on every order change. The body is not signed, so only the
// identifiers are taken; the host reads the order back with the account's own token.
'use strict';

const ORDER_ID = /^EX\d{1,20}$/;

function parseWebhook(request) {
  let body;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { ok: false, problems: [{ path: '', message: 'body must be an Example Exchange postback (JSON)' }] };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, problems: [{ path: '', message: 'body must be a JSON object' }] };
  // Other events (a heartbeat) name no order: accepted and ignored
  if (request.headers['x-example-event'] !== undefined && request.headers['x-example-event'] !== 'order')
    return { ok: true, ref: null };
  if (typeof body.order_id !== 'string' || !ORDER_ID.test(body.order_id))
    return { ok: false, problems: [{ path: 'order_id', message: 'order_id is required' }] };
  return {
    ok: true,
    ref: {
      brokerOrderId: body.order_id,
      ...(typeof body.client_ref === 'string' && { clientOrderId: body.client_ref }),
      ...(typeof body.client_id === 'string' && { accountClientId: body.client_id }),
      ...(typeof body.status === 'string' && { status: body.status.slice(0, 32) }),
    },
  };
}

module.exports = { parseWebhook };
