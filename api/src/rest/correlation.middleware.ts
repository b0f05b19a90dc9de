import type { RequestHandler } from 'express';
import { newCorrelationId, runWithContext } from '../shared/request-context';

const VALID = /^[A-Za-z0-9._:-]{8,64}$/;

// Every request gets a correlation id (a caller's X-Correlation-Id is kept when well formed), echoed back
// in the response and carried by AsyncLocalStorage into every log line the request causes.
export const correlationMiddleware: RequestHandler = (req, res, next) => {
  const incoming = req.header('x-correlation-id');
  const correlationId = incoming && VALID.test(incoming) ? incoming : newCorrelationId();
  res.setHeader('x-correlation-id', correlationId);
  res.locals.correlationId = correlationId;
  runWithContext({ correlationId }, () => next());
};
