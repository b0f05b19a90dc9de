import express, { Request, Response, Router } from 'express';
import { isBrokerError } from '@algodatta/broker-sdk';
import { MikroORM } from '@mikro-orm/postgresql';
import { TradingMode } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { runWithContext } from '../../../shared/request-context';
import type { BrokerAccountService } from '../../brokers/broker-account.service';
import type { BrokerRouter } from '../../brokers/broker-route';
import { TERMINAL } from '../../executions/execution-status';
import { AUTH_ERROR_CODES } from '../../executions/failure-handler';
import { Execution } from '../../executions/execution.entity';
import type { ExecutorService } from '../../executions/executor.service';
import { parseDhanPostbackRef } from './dhan-postback.parse';

const BODY_LIMIT = 64 * 1024;
const BROKER = 'dhan';

// Postbacks for one order arrive in bursts (TRANSIT, PENDING, TRADED): one read-back runs per execution at a
// time, and one more runs after it when postbacks came in meanwhile, so the last state is always read.
class ReadBackQueue {
  private readonly state = new Map<string, 'running' | 'again'>();

  constructor(private readonly read: (executionId: string) => Promise<void>) {}

  request(executionId: string): void {
    const s = this.state.get(executionId);
    if (s) { this.state.set(executionId, 'again'); return; }
    this.state.set(executionId, 'running');
    setImmediate(() => void this.loop(executionId));
  }

  private async loop(executionId: string): Promise<void> {
    for (;;) {
      await this.read(executionId).catch((error: unknown) => logger.warn('postback read-back failed', { executionId, error: (error as Error).message }));
      if (this.state.get(executionId) !== 'again') break;
      this.state.set(executionId, 'running');
    }
    this.state.delete(executionId);
  }
}

// POST /api/webhook/dhan/postback. Anyone can call it, so the body only names an order: we find our execution
// by correlationId (our clientOrderId) or Dhan's orderId, answer at once, and read the order and its trades
// back from Dhan with the account's own token; those go through the one idempotent update path.
export function dhanPostbackRoute(orm: MikroORM, router: BrokerRouter, executor: ExecutorService, accounts: BrokerAccountService): Router {
  const routes = Router();
  const readBack = new ReadBackQueue(async (executionId) => {
    const execution = await orm.em.fork().findOne(Execution, executionId, { populate: ['strategy'] });
    if (!execution || TERMINAL.has(execution.status)) return;
    try {
      await runWithContext({ correlationId: execution.correlationId }, () => executor.reconcile(execution));
    } catch (error) {
      // The token stopped working between the order and its postback: same treatment as during an order
      if (isBrokerError(error) && AUTH_ERROR_CODES.includes(error.code)) {
        await accounts.markExpired(execution.user.id, execution.broker, `${error.code.toLowerCase()}: ${error.message}`);
      }
      throw error;
    }
  });
  routes.post('/webhook/dhan/postback', express.text({ type: () => true, limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const parsed = parseDhanPostbackRef(typeof req.body === 'string' ? req.body : '');
    if (!parsed.ok) {
      res.status(400).json({ error: 'invalid_payload', details: parsed.details });
      return;
    }
    const { ref } = parsed;
    const em = orm.em.fork();
    const execution = await em.findOne(Execution, {
      broker: BROKER, mode: TradingMode.LIVE, $or: [{ clientOrderId: ref.clientOrderId }, { brokerOrderId: ref.orderId }],
    }, { populate: ['strategy'] });
    if (!execution) {
      res.status(200).json({ status: 'ignored' });
      logger.info('dhan postback for an order we did not place', { orderId: ref.orderId });
      return;
    }
    // Another Dhan client's order that happens to share an id with ours is not ours
    if (ref.dhanClientId) {
      const route = await router.route(execution.strategy, em);
      if (route && route.credentials.clientId !== ref.dhanClientId) {
        res.status(200).json({ status: 'ignored' });
        return;
      }
    }
    res.status(200).json({ status: 'accepted', execution_id: execution.id });
    logger.info('dhan postback', { executionId: execution.id, orderId: ref.orderId, status: ref.status });
    if (!TERMINAL.has(execution.status)) readBack.request(execution.id);
  });
  return routes;
}
