// Dhan's correlationId is our idempotency handle: look-ups by it (GET /orders/external/{id}) find an order whose
// placement answer was lost. The SDK already limits clientOrderId to 1-30 chars of [A-Za-z0-9_-], which is inside
// Dhan's correlationId rule (max 30, [a-zA-Z0-9 _-]), so the mapping is the identity, and therefore reversible.
import { InvalidOrderError } from '@algodatta/broker-sdk';

const DHAN_CORRELATION_RE = /^[a-zA-Z0-9 _-]{1,30}$/;
const CLIENT_ORDER_ID_RE = /^[A-Za-z0-9_-]{1,30}$/;

export function toCorrelationId(clientOrderId: string): string {
  if (!CLIENT_ORDER_ID_RE.test(clientOrderId) || !DHAN_CORRELATION_RE.test(clientOrderId)) {
    throw new InvalidOrderError(
      `dhan: clientOrderId "${clientOrderId}" is not a valid correlationId (1-30 of [A-Za-z0-9_-])`,
      { broker: 'dhan' },
    );
  }
  return clientOrderId;
}

/** The clientOrderId of an order seen at Dhan; orders placed elsewhere (no correlationId) get "dhan-<orderId>". */
export function clientOrderIdFromCorrelation(correlationId: unknown, orderId: string): string {
  if (typeof correlationId === 'string' && CLIENT_ORDER_ID_RE.test(correlationId)) return correlationId;
  return `dhan-${orderId}`;
}

export function isTrackedCorrelation(correlationId: unknown): boolean {
  return typeof correlationId === 'string' && CLIENT_ORDER_ID_RE.test(correlationId);
}
