import { MikroORM } from '@mikro-orm/postgresql';
import { isBrokerError } from '@algodatta/broker-sdk';
import { logger } from '../../shared/logger';
import { AUTH_ERROR_CODES, AuthErrorHook } from './failure-handler';
import { runWithContext } from '../../shared/request-context';
import { Execution } from './execution.entity';
import { OPEN_AT_BROKER } from './execution-status';
import type { ExecutorService } from './executor.service';

const BATCH = 100;

// The outbox sweep and the order poll. An alert is committed before its 202, so after a crash or restart
// its execution is still PENDING here; the executor's lease and broker lookup keep this from running it twice.
export class RecoveryService {
  constructor(private readonly orm: MikroORM, private readonly executor: ExecutorService, private readonly onAuthError?: AuthErrorHook) {}

  async sweepPending(graceMs = 2000): Promise<number> {
    const rows = await this.orm.em.fork().getConnection().execute<{ id: string; correlation_id: string }[]>(
      `select id, correlation_id from executions where status = 'PENDING'
         and (lease_until is null or lease_until < now()) and (next_attempt_at is null or next_attempt_at <= now())
         and created_at < now() - (? * interval '1 millisecond') order by created_at limit ?`,
      [graceMs, BATCH],
    );
    for (const row of rows) {
      await runWithContext({ correlationId: row.correlation_id }, () => this.executor.run(row.id))
        .catch((error) => logger.error('recovery of an execution failed', { executionId: row.id, error }));
    }
    if (rows.length) logger.info('recovery sweep resumed executions', { count: rows.length });
    return rows.length;
  }

  // Orders resting at the broker are read back until they reach a terminal state (fills missed by a stream
  // or postback are found here).
  async pollOpenOrders(): Promise<number> {
    const em = this.orm.em.fork();
    const open = await em.find(Execution, { status: { $in: OPEN_AT_BROKER }, updatedAt: { $lt: new Date(Date.now() - 3000) } }, { populate: ['strategy'], limit: BATCH, orderBy: { updatedAt: 'asc' } });
    for (const execution of open) {
      await runWithContext({ correlationId: execution.correlationId }, () => this.executor.reconcile(execution))
        .catch(async (error) => {
          logger.warn('polling an open order failed', { executionId: execution.id, error: (error as Error).message });
          // A dead token found while polling expires the account just like one found while placing
          if (isBrokerError(error) && AUTH_ERROR_CODES.includes(error.code)) await this.onAuthError?.(execution.id, error.code.toLowerCase(), error.message);
        });
    }
    return open.length;
  }
}
