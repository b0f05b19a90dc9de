import type { RequestHandler } from 'express';
import { newCorrelationId, runWithContext } from '../shared/request-context';

const VALID = /^[A-Za-z0-9._:-]{8,64}$/;

// A caller's X-Correlation-Id when well formed, else a new one (also used by the webhook, which runs ahead of Express)
export const correlationIdFor = (incoming: unknown): string =>
  typeof incoming === 'string' && VALID.test(incoming) ? incoming : newCorrelationId();

// Every request gets a correlation id (a caller's X-Correlation-Id is kept when well formed), echoed back
// in the response and carried by AsyncLocalStorage into every log line the request causes.
export const correlationMiddleware: RequestHandler = (req, res, next) => {
  const correlationId = correlationIdFor(req.header('x-correlation-id'));
  res.setHeader('x-correlation-id', correlationId);
  res.locals.correlationId = correlationId;
  runWithContext({ correlationId }, () => next());
};
