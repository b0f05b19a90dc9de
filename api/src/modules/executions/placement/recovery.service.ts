import { MikroORM } from '@mikro-orm/postgresql';
import { emSql } from '../../../db/sql';
import { logger } from '../../../shared/logger';
import { AuthErrorHook, expireOnAuthError } from './auth-expiry';
import { runWithContext } from '../../../shared/request-context';
import { Execution } from '../execution.entity';
import { OPEN_AT_BROKER } from '../execution-status';
import type { ExecutorService } from './executor.service';
import { positionsWaiting } from './pending-executions.sql';
import { executionsWithUnsentLegs } from '../store/legs.sql';

const POLL_PAGE = 100;

// The outbox sweep and the order poll. An alert is committed before its 202, so after a crash or restart
// its execution is still PENDING here; the executor's lease and broker lookup keep this from running it twice.
export class RecoveryService {
  constructor(
    private readonly orm: MikroORM,
    private readonly executor: ExecutorService,
    private readonly onAuthError?: AuthErrorHook,
  ) {}

  // Hands every position with executions waiting in PostgreSQL to the executor, which takes them in arrival order
  // until none is left (not a page per run): a crashed process's backlog is done in the time it takes to execute.
  // Returns how many executions were waiting.
  async sweepPending(graceMs = 2000): Promise<number> {
    const positions = await positionsWaiting(emSql(this.orm.em.fork()), graceMs);
    for (const position of positions) this.executor.resume(position);
    const count = positions.reduce((sum, p) => sum + p.waiting, 0);
    if (count) logger.info('recovery sweep resumed executions', { count, positions: positions.length });
    // Executions split at the freeze limit whose process stopped between legs (or whose leg hit a passing error)
    for (const id of await executionsWithUnsentLegs(emSql(this.orm.em.fork()), graceMs)) {
      logger.info('recovery sweep resumes the unsent legs of an execution', { executionId: id });
      await this.executor
        .resumeLegs(id)
        .catch((error) => logger.warn('resuming legs failed', { executionId: id, error: (error as Error).message }));
    }
    return count;
  }

  // Orders resting at the broker are read back until they reach a terminal state (fills missed by a stream
  // or postback are found here). Every open order is read on each run, a page at a time (by id: a page's reads
  // change updated_at, so a cursor on it could skip or repeat rows).
  async pollOpenOrders(): Promise<number> {
    const before = new Date(Date.now() - 3000);
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const em = this.orm.em.fork();
      const page: Execution[] = await em.find(
        Execution,
        {
          status: { $in: OPEN_AT_BROKER },
          updatedAt: { $lt: before },
          ...(after && { id: { $gt: after } }),
        },
        { limit: POLL_PAGE, orderBy: { id: 'asc' } },
      );
      for (const execution of page) {
        await runWithContext({ correlationId: execution.correlationId }, () =>
          this.executor.reconcile(execution),
        ).catch(async (error) => {
          logger.warn('polling an open order failed', { executionId: execution.id, error: (error as Error).message });
          // A dead token found while polling expires the account just like one found while placing
          await expireOnAuthError(this.onAuthError, execution.id, error);
        });
      }
      count += page.length;
      if (page.length < POLL_PAGE) return count;
      after = page[page.length - 1].id;
    }
  }
}
