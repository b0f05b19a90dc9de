import express, { Request, Response, Router } from 'express';
import { type WebhookOrderRef } from '@algodatta/broker-sdk';
import { MikroORM } from '@mikro-orm/postgresql';
import { TradingMode } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { runWithContext } from '../../../shared/request-context';
import type { BrokerAccountService } from '../../brokers/broker-account.service';
import type { BrokerRouter } from '../../brokers/broker-route';
import type { BrokerRegistry } from '../../brokers/plugin-registry';
import { TERMINAL } from '../../executions/execution-status';
import { expireOnAuthError } from '../../executions/placement/auth-expiry';
import { Execution } from '../../executions/execution.entity';
import { legOwner, maybeLegId } from '../../executions/store/legs.sql';
import { emSql } from '../../../db/sql';
import type { ExecutorService } from '../../executions/placement/executor.service';
import { ReadBackQueue } from './read-back-queue';

const BODY_LIMIT = 64 * 1024;
const BROKER_NAME = /^[a-z][a-z0-9-]{1,39}$/;
const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BROKER_ORDER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

type Problems = { path: string; message: string }[];

// What the plugin says the postback names, checked before it reaches a query
function checkRef(ref: WebhookOrderRef): Problems {
  const problems: Problems = [];
  if (ref.clientOrderId === undefined && ref.brokerOrderId === undefined)
    problems.push({ path: '', message: 'the postback names no order' });
  if (ref.clientOrderId !== undefined && !CLIENT_ORDER_ID.test(ref.clientOrderId))
    problems.push({ path: 'clientOrderId', message: 'not an order id' });
  if (ref.brokerOrderId !== undefined && !BROKER_ORDER_ID.test(ref.brokerOrderId))
    problems.push({ path: 'brokerOrderId', message: 'not an order id' });
  return problems;
}

// POST /api/webhook/brokers/:broker/postback, and its short form /api/webhook/:broker/postback (the path DhanHQ
// postbacks were set up with). Anyone can call it, so the body only names an order: the plugin's parseWebhook says
// which (our clientOrderId or the broker's id), we answer at once and read the order and its trades back from the
// broker with the account's own credentials; those go through the one idempotent update path.
export function brokerPostbackRoute(
  orm: MikroORM,
  brokers: BrokerRegistry,
  router: BrokerRouter,
  executor: ExecutorService,
  accounts: BrokerAccountService,
): Router {
  const routes = Router();
  const readBack = new ReadBackQueue(async (executionId) => {
    const execution = await orm.em.fork().findOne(Execution, executionId, { populate: ['strategy'] });
    if (!execution || TERMINAL.has(execution.status)) return;
    try {
      await runWithContext({ correlationId: execution.correlationId }, () => executor.reconcile(execution));
    } catch (error) {
      // The token stopped working between the order and its postback: same treatment as during an order
      await expireOnAuthError((id, code, message) => accounts.onAuthError(id, code, message), execution.id, error);
      throw error;
    }
  });

  const handle = async (req: Request, res: Response) => {
    const broker = String(req.params.broker);
    const parse = BROKER_NAME.test(broker) ? brokers.webhookParser(broker) : null;
    if (!parse) {
      res.status(404).json({ error: 'unknown_broker' });
      return;
    }
    const parsed = parse({ headers: req.headers, body: typeof req.body === 'string' ? req.body : '' });
    const problems = parsed.ok ? (parsed.ref ? checkRef(parsed.ref) : []) : parsed.problems;
    if (!parsed.ok || problems.length) {
      res.status(400).json({ error: 'invalid_payload', details: problems });
      return;
    }
    const ref = parsed.ref;
    if (!ref) {
      res.status(200).json({ status: 'ignored' });
      return;
    }
    const em = orm.em.fork();
    const ids = [
      ...(ref.clientOrderId ? [{ clientOrderId: ref.clientOrderId }] : []),
      ...(ref.brokerOrderId ? [{ brokerOrderId: ref.brokerOrderId }] : []),
    ];
    // A leg of an execution split at the freeze limit carries its own clientOrderId (store/legs.sql.ts)
    const leg =
      ref.clientOrderId && maybeLegId(ref.clientOrderId) ? await legOwner(emSql(em), ref.clientOrderId) : null;
    // Several accounts of one broker (issue 18): the broker's order ids are per client, so two accounts can have
    // an order with the same id. Our clientOrderId names one execution; else the postback's client id picks the
    // execution whose account it is. Another client's order that happens to share an id with ours is not ours.
    const candidates = await em.find(
      Execution,
      { broker, mode: TradingMode.LIVE, ...(leg ? { id: leg.executionId } : { $or: ids }) },
      { orderBy: { createdAt: 'desc' }, limit: 20 },
    );
    const byClientRef = ref.clientOrderId ? candidates.filter((e) => e.clientOrderId === ref.clientOrderId) : [];
    let execution: Execution | undefined;
    for (const candidate of byClientRef.length ? byClientRef : candidates) {
      if (!ref.accountClientId) {
        execution = candidate;
        break;
      }
      const route = await router.routeFor(
        {
          mode: candidate.mode,
          broker: candidate.broker,
          accountId: candidate.brokerAccountId ?? null,
          strategyId: candidate.strategy.id,
          userId: candidate.user.id,
        },
        em,
      );
      if (!route || route.credentials.clientId === ref.accountClientId) {
        execution = candidate;
        break;
      }
    }
    if (!execution) {
      res.status(200).json({ status: 'ignored' });
      logger.info('broker postback for an order we did not place', {
        broker,
        brokerOrderId: ref.brokerOrderId,
        clientOrderId: ref.clientOrderId,
      });
      return;
    }
    res.status(200).json({ status: 'accepted', execution_id: execution.id });
    logger.info('broker postback', {
      broker,
      executionId: execution.id,
      brokerOrderId: ref.brokerOrderId,
      status: ref.status,
    });
    if (!TERMINAL.has(execution.status)) readBack.request(execution.id);
  };

  const body = express.text({ type: () => true, limit: BODY_LIMIT });
  routes.post('/webhook/brokers/:broker/postback', body, handle);
  routes.post('/webhook/:broker/postback', body, handle);
  return routes;
}
