import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Services } from '../app/services';
import { brokerPostbackRoute } from '../modules/webhooks/brokers/broker-postback.route';
import { reportExportRoute } from '../modules/reports/report-export.route';
import { telegramWebhookRoute } from '../modules/notifications/telegram/telegram-webhook.route';

// Everything under /api but the TradingView webhook (node:http, see create-server.ts): broker postbacks, exports and
// Telegram's webhook deliveries.
export function apiRoutes(orm: MikroORM, services: Services): Router {
  const router = Router();
  router.use(brokerPostbackRoute(orm, services.brokers, services.router, services.executor, services.brokerAccounts));
  router.use(reportExportRoute(orm, services.reports, services.authenticator));
  router.use(telegramWebhookRoute(() => services.notifications.telegramInbox));
  return router;
}
