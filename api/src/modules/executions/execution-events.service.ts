import { EntityManager } from '@mikro-orm/postgresql';
import type { AppPubSub } from '../../graphql/pubsub';
import { TOPICS } from '../../graphql/pubsub';
import { ExecutionEventType } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { ExecutionEvent } from './execution-event.entity';
import type { Execution } from './execution.entity';
import type { ExecutionEventMessage } from './execution-event.types';

export type PendingEvent = { message: ExecutionEventMessage };

// Events are written in the caller's transaction and published only after it commits, so a subscriber
// never hears about a state change that was rolled back.
export class ExecutionEventsService {
  constructor(private readonly pubSub: AppPubSub) {}

  record(
    em: EntityManager,
    execution: Execution,
    type: ExecutionEventType,
    payload?: Record<string, unknown>,
  ): PendingEvent {
    const row = em.create(ExecutionEvent, {
      execution,
      alertId: execution.alert.id,
      strategyId: execution.strategy.id,
      type,
      correlationId: execution.correlationId,
      payload,
      at: new Date(),
    });
    return { message: toMessage(row, execution.user.id) };
  }

  publish(events: PendingEvent[]): void {
    for (const { message } of events) {
      this.pubSub.publish(TOPICS.EXECUTION_EVENT, message);
      logger.info('execution event', {
        type: message.type,
        executionId: message.executionId,
        correlationId: message.correlationId,
      });
    }
  }
}

export function toMessage(row: ExecutionEvent, userId: string): ExecutionEventMessage {
  return {
    id: row.id,
    type: row.type,
    executionId: row.execution.id,
    alertId: row.alertId,
    correlationId: row.correlationId,
    strategyId: row.strategyId,
    at: row.at,
    payload: row.payload ?? null,
    userId,
  };
}
