import { logger } from '../../shared/logger';
import type { ExecutorService } from './executor.service';
import type { Execution } from './execution.entity';

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
}
