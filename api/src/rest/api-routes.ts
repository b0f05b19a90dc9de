import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Services } from '../app/services';
import { tradingViewRoute } from '../modules/webhooks/tradingview/tradingview.route';
import { dhanPostbackRoute } from '../modules/webhooks/dhan/dhan-postback.route';

// Everything under /api: the REST shim for TradingView, broker postbacks and exports.
export function apiRoutes(orm: MikroORM, services: Services): Router {
  const router = Router();
  const allowlist = services.config.WEBHOOK_IP_ALLOWLIST.split(',').map((ip) => ip.trim()).filter(Boolean);
  router.use(tradingViewRoute(services.intake, services.executor, allowlist));
  router.use(dhanPostbackRoute(orm, services.router, services.executor, services.brokerAccounts));
  return router;
}
