// The exchange's wire format and the SDK's models, both ways. Every model keeps the exchange's record in `raw`
// (only this plugin reads it); money and quantities stay decimal strings throughout.
'use strict';

const {
  AuthError,
  KillSwitchActiveError,
  RateLimitError,
  RejectedError,
  TokenExpiredError,
} = require('@algodatta/broker-sdk');
const { manifest } = require('./manifest');

const BROKER = manifest.name;
const STATUS = { OPEN: 'open', TRIGGER_PENDING: 'open', DONE: 'filled', CANCELLED: 'cancelled', REJECTED: 'rejected' };
const SIDE = { BUY: 'B', SELL: 'S' };
const SIDE_NAME = { B: 'BUY', S: 'SELL' };
const KIND = { MARKET: 'MKT', LIMIT: 'LMT', SL: 'SL', 'SL-M': 'SLM' };
const KIND_NAME = { MKT: 'MARKET', LMT: 'LIMIT', SL: 'SL', SLM: 'SL-M' };

/*
 * The exchange's error codes as the SDK's classes. A real plugin keeps this table in its own file, with a recorded
 * response per row (see broker-dhan/src/error-map.ts): the host decides retries and account expiry from the class.
 */
function toError(code, message, extra = {}) {
  const options = { broker: BROKER, brokerCode: code };
  switch (code) {
    case 'INVALID_TOKEN':
      return new AuthError(`${BROKER}: the access token was refused`, options);
    case 'TOKEN_EXPIRED':
      return new TokenExpiredError(`${BROKER}: the access token expired; log in again`, options);
    case 'RATE_LIMITED':
      return new RateLimitError(`${BROKER}: too many requests`, { ...options, retryAfterMs: extra.retry_after_ms });
    case 'KILL_SWITCH':
      return new KillSwitchActiveError(`${BROKER}: the kill switch is on; no orders today`, options);
    default:
      return new RejectedError(`${BROKER}: ${message ?? code}`, options);
  }
}

// An order request as the exchange takes it
function toWireOrder(r) {
  return {
    client_ref: r.clientOrderId,
    instrument: {
      symbol: r.instrument.symbol,
      exchangeSegment: r.instrument.exchangeSegment,
      ...(r.instrument.securityId && { securityId: r.instrument.securityId }),
    },
    side: SIDE[r.side],
    kind: KIND[r.type],
    product: r.product,
    qty: r.quantity,
    ...(r.price !== undefined && { price: r.price }),
    ...(r.triggerPrice !== undefined && { trigger: r.triggerPrice }),
    ...(r.referencePrice !== undefined && { reference_price: r.referencePrice }),
  };
}

/*
 * {"order_id":"EX7","client_ref":"ad-7f3k2m9q","side":"B","kind":"LMT","product":"INTRADAY","qty":"50","price":"101.5",
 *  "trigger":null,"status":"DONE","filled_qty":"50","avg_price":"101.5","created_at":1767000000000,...}
 */
function toOrder(o, accountId) {
  return {
    clientOrderId: o.client_ref,
    brokerOrderId: o.order_id,
    broker: BROKER,
    accountId,
    instrument: o.instrument,
    side: SIDE_NAME[o.side],
    type: KIND_NAME[o.kind],
    product: o.product,
    timeInForce: 'DAY',
    quantity: o.qty,
    ...(o.price !== null && { price: o.price }),
    ...(o.trigger !== null && { triggerPrice: o.trigger }),
    status: STATUS[o.status],
    filledQuantity: o.filled_qty,
    ...(o.avg_price !== null && { averagePrice: o.avg_price }),
    ...(o.reason && { rejectReason: o.reason }),
    createdAt: o.created_at,
    updatedAt: o.updated_at,
    raw: o,
  };
}

// {"trade_id":"T8","order_id":"EX7","client_ref":"ad-7f3k2m9q","qty":"50","price":"101.5","at":1767000000000}
function toFill(t, order, accountId) {
  return {
    tradeId: t.trade_id,
    clientOrderId: t.client_ref,
    brokerOrderId: t.order_id,
    broker: BROKER,
    accountId,
    instrument: order.instrument,
    side: SIDE_NAME[order.side],
    product: order.product,
    quantity: t.qty,
    price: t.price,
    ts: t.at,
    raw: t,
  };
}

function toPosition(p, accountId) {
  return {
    broker: BROKER,
    accountId,
    instrument: p.instrument,
    product: p.product,
    netQuantity: p.net,
    averagePrice: p.avg,
    realizedPnl: p.realized,
    raw: p,
  };
}

module.exports = { BROKER, KIND, SIDE, SIDE_NAME, toError, toFill, toOrder, toPosition, toWireOrder };
