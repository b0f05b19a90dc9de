import express, { NextFunction, Request, Response, Router } from 'express';
import { logger } from '../../../shared/logger';
import type { TelegramUpdate } from './telegram-api.client';
import { TELEGRAM_WEBHOOK_PATH } from './telegram-updates-mode';
import type { InboxAnswer, TelegramWebhookInbox } from './telegram-webhook-inbox';
import { webhookSecretMatches } from './telegram-webhook-secret';

// A text message with its reply and entities is a few KiB; Telegram sends nothing we handle near this
const BODY_LIMIT = '256kb';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const STATUS: Record<InboxAnswer, number> = {
  accepted: 200,
  duplicate: 200,
  dropped: 200,
  busy: 429,
  unavailable: 503,
};

// POST /api/webhook/telegram: the updates Telegram delivers in webhook mode. The secret is checked before the body
// is read (401, nothing processed); any answer but 2xx makes Telegram deliver the update again later.
export function telegramWebhookRoute(inbox: () => TelegramWebhookInbox | undefined): Router {
  const routes = Router();
  const checkSecret = (req: Request, res: Response, next: NextFunction) => {
    const current = inbox();
    // No bot configured: no such route
    if (!current) return next('route');
    if (!webhookSecretMatches(req.get(SECRET_HEADER), current.secret)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
  routes.post(
    TELEGRAM_WEBHOOK_PATH,
    checkSecret,
    express.json({ limit: BODY_LIMIT, type: () => true }),
    async (req: Request, res: Response) => {
      const update = req.body as Partial<TelegramUpdate> | undefined;
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id) || update.update_id! < 0) {
        res.status(400).json({
          error: 'invalid_payload',
          details: [{ path: 'update_id', message: 'a Telegram update has a non-negative integer update_id' }],
        });
        return;
      }
      const current = inbox();
      let answer: InboxAnswer = 'unavailable';
      try {
        if (current) answer = await current.receive(update as TelegramUpdate);
      } catch (error) {
        logger.error('telegram webhook: could not take the update', { updateId: update.update_id, error });
      }
      res.status(STATUS[answer]).json({ status: answer });
    },
  );
  return routes;
}
