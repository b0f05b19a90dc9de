import express, { Request, Response, Router } from 'express';
import type { AlertIntakeService } from '../../alerts/alert-intake.service';
import type { ExecutorService } from '../../executions/executor.service';
import { logger } from '../../../shared/logger';
import { extractSecret, parseJsonBody, parseSignal } from './tradingview.payload';

export const WEBHOOK_BODY_LIMIT = 64 * 1024;
const UNAUTHORIZED = { error: 'unauthorized' };

// POST /api/webhook/tradingview. TradingView sends application/json or text/plain, waits 3 s and resends
// after a 5xx, so: parse any body as text, answer in milliseconds, and never answer 5xx for a stored alert.
export function tradingViewRoute(intake: AlertIntakeService, executor: ExecutorService, allowlist: string[]): Router {
  const router = Router();
  router.post('/webhook/tradingview', express.text({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req: Request, res: Response) => {
    if (allowlist.length && !allowlist.includes(normalizeIp(req.ip))) {
      res.status(401).json(UNAUTHORIZED);
      return;
    }
    const raw = typeof req.body === 'string' ? req.body : '';
    const json = parseJsonBody(raw);
    if (!json.ok) {
      res.status(400).json({ error: 'invalid_payload', details: json.details });
      return;
    }
    const secret = extractSecret(json.body);
    const strategy = secret ? await intake.findStrategy(secret) : null;
    if (!strategy || !secret) {
      res.status(401).json(UNAUTHORIZED);
      return;
    }
    if (!(await intake.withinRateLimit(strategy))) {
      res.status(429).json({ error: 'rate_limited' });
      return;
    }
    const parsed = parseSignal(json.body, secret);
    if (!parsed.ok) {
      res.status(400).json({ error: 'invalid_payload', details: 'details' in parsed ? parsed.details : [] });
      return;
    }
    const result = await intake.accept(strategy, parsed.signal, raw, normalizeIp(req.ip));
    switch (result.kind) {
      case 'accepted':
        res.status(202).json({ status: 'accepted', alert_id: result.alertId, correlation_id: result.correlationId });
        logger.info('alert accepted', { strategyId: strategy.id, alertId: result.alertId });
        executor.start(result.executionId, result.correlationId, strategy);
        return;
      case 'duplicate':
        res.status(200).json({ status: 'duplicate', alert_id: result.alertId });
        return;
      case 'rejected':
        res.status(422).json({ status: 'rejected', reason: result.reason, alert_id: result.alertId, message: result.message });
        logger.info('alert rejected', { strategyId: strategy.id, alertId: result.alertId, reason: result.reason });
        return;
      case 'invalid':
        res.status(400).json({ error: 'invalid_payload', details: result.details });
    }
  });
  return router;
}

const normalizeIp = (ip: string | undefined) => (ip ?? '').replace(/^::ffff:/, '');
