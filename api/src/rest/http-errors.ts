import type { ErrorRequestHandler, RequestHandler } from 'express';
import { logger } from '../shared/logger';

type BodyParserError = Error & { type?: string; status?: number; statusCode?: number };

// Body-parser failures are client mistakes with fixed JSON bodies; anything else is logged and answered 500.
export const httpErrorHandler: ErrorRequestHandler = (error: BodyParserError, req, res, _next) => {
  const status = error.status ?? error.statusCode ?? 500;
  if (error.type === 'entity.too.large' || status === 413) {
    res.status(413).json({ error: 'payload_too_large' });
    return;
  }
  if (status >= 400 && status < 500) {
    res.status(400).json({
      error: 'invalid_payload',
      details: [{ path: '', message: error.type === 'entity.parse.failed' ? 'body is not valid JSON' : error.message }],
    });
    return;
  }
  logger.error('unhandled http error', { error, path: req.path });
  res.status(500).json({ error: 'internal_error' });
};

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found' });
};
