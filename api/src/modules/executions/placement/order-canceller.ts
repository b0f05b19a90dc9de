import type { EntityManager } from '@mikro-orm/postgresql';
import { ExecutionStatus } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import type { ExecutorService } from './executor.service';
import { Execution } from '../execution.entity';
import { OPEN_AT_BROKER } from '../execution-status';
import { makeDue } from '../store/execution.store';

// Cancels an order resting at its broker; the result goes through the normal update path.
export class OrderCanceller {
  constructor(private readonly executor: ExecutorService) {}

  async cancel(execution: Execution, reason: string): Promise<boolean> {
    try {
      await this.executor.cancelAtBroker(execution);
      return true;
    } catch (error) {
      logger.error('cancel failed', { executionId: execution.id, reason, error: (error as Error).message });
      return false;
    }
  }

  // The kill switch: native brackets still working at brokers (their target and stop legs included) are cancelled
  async cancelBrackets(): Promise<void> {
    try {
      await this.executor.cancelOpenBrackets();
    } catch (error) {
      logger.error('cancelling native brackets failed', { error: (error as Error).message });
    }
  }

  // A disabled user trades no more: orders resting at a broker are cancelled, and alerts still waiting (a queued
  // after-market order included) are made due now, and their attempts reject them as account_disabled
  async stopUser(em: EntityManager, userId: string): Promise<void> {
    const open = await em.find(Execution, { user: userId, status: { $in: OPEN_AT_BROKER } });
    for (const execution of open) await this.cancel(execution, 'account_disabled');
    const waiting = await em.find(
      Execution,
      { user: userId, status: ExecutionStatus.PENDING, source: { $ne: 'square_off' } },
      { fields: ['id'] },
    );
    if (!waiting.length) return;
    await makeDue(
      em,
      waiting.map((e) => e.id),
    );
    for (const e of waiting) await this.executor.wake(e.id);
  }
}
