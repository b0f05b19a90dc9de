import { isBrokerError, UnknownOutcomeError } from '@algodatta/broker-sdk';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ExecutionEventType, ExecutionStatus, NotificationEvent } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { DeadLetter } from '../../dead-letters/dead-letter.entity';
import { enqueueNotification } from '../../notifications/notification-enqueue';
import { AuthErrorHook, expireOnAuthFailure } from './auth-expiry';
import { ExecutionEventsService, PendingEvent } from '../execution-events.service';
import { Execution } from '../execution.entity';
import { retryDelayMs, RetryPolicy } from './retry-policy';
import { exhaust, ExecutionStore, reject } from '../store/execution.store';
import { brokerReason, RejectReason } from '../store/reject-reasons';

export type RetryScheduler = { scheduleAttempt(executionId: string, at: Date): Promise<void> };

// Decides what a failed attempt becomes: a rejection (the broker said no), a retry later (the outcome was
// transient or unknown), or a dead letter once the attempts run out. Nothing is ever dropped silently.
export class FailureHandler {
  constructor(
    private readonly orm: MikroORM,
    private readonly events: ExecutionEventsService,
    private readonly policy: RetryPolicy,
    private readonly scheduler: RetryScheduler,
    // Called after a rejection for AUTH_FAILED / TOKEN_EXPIRED (marks the broker account EXPIRED, notifies)
    private readonly onAuthError?: AuthErrorHook,
  ) {
    this.store = new ExecutionStore(orm, events);
  }

  private readonly store: ExecutionStore;

  async handle(executionId: string, attempt: number, error: unknown): Promise<void> {
    const broker = isBrokerError(error);
    if (broker && !error.retryable && !(error instanceof UnknownOutcomeError)) {
      return this.reject(executionId, brokerReason(error.code), error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (!broker) logger.error('unexpected error while executing; will retry', { executionId, error });
    if (attempt >= this.policy.maxAttempts)
      return this.deadLetter(executionId, broker ? brokerReason(error.code) : 'internal_error', message, attempt);
    const retryAfter = broker && error.retryAfterMs ? error.retryAfterMs : 0;
    const delay = Math.max(retryAfter, retryDelayMs(this.policy, attempt));
    const at = new Date(Date.now() + delay);
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      execution.nextAttemptAt = at;
      execution.lastError = message;
      return [
        this.events.record(em, execution, ExecutionEventType.ERROR, {
          attempt,
          code: broker ? brokerReason(error.code) : 'internal_error',
          message,
          retryInMs: delay,
        }),
      ];
    });
    await this.scheduler.scheduleAttempt(executionId, at);
  }

  async reject(executionId: string, reason: RejectReason, message: string): Promise<void> {
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      reject(execution, reason, message);
      return [this.events.record(em, execution, ExecutionEventType.ORDER_REJECTED, { reason, message })];
    });
    await expireOnAuthFailure(this.onAuthError, executionId, reason, message);
  }

  // Not a failure: the order cannot go now (the paper market is closed) and waits until `at`. The attempt is given
  // back, and the wait is announced once (asking again while it waits changes nothing).
  async defer(executionId: string, at: Date, code: string, message: string): Promise<void> {
    let changed = false;
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      execution.attempts = Math.max(0, execution.attempts - 1);
      if (execution.nextAttemptAt?.getTime() === at.getTime()) return [];
      changed = true;
      execution.nextAttemptAt = at;
      execution.lastError = message;
      return [
        this.events.record(em, execution, ExecutionEventType.ERROR, { code, message, queuedUntil: at.toISOString() }),
      ];
    });
    if (changed) await this.scheduler.scheduleAttempt(executionId, at);
  }

  private async deadLetter(executionId: string, reason: string, message: string, attempts: number): Promise<void> {
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      exhaust(execution, message);
      em.create(DeadLetter, {
        execution,
        user: execution.user,
        reason,
        lastError: message,
        attempts,
        payload: { request: execution.brokerRequest ?? null },
      });
      enqueueNotification(em, {
        event: NotificationEvent.DEAD_LETTER,
        userId: execution.user.id,
        strategyId: execution.strategy.id,
        executionId: execution.id,
        data: { reason, message, attempts },
        admins: reason === 'internal_error',
      });
      return [
        this.events.record(em, execution, ExecutionEventType.ERROR, {
          attempt: attempts,
          code: reason,
          message,
          deadLetter: true,
        }),
      ];
    });
    logger.warn('execution dead-lettered', { executionId, reason, attempts });
  }

  private update(
    executionId: string,
    change: (em: EntityManager, execution: Execution) => PendingEvent[],
  ): Promise<void> {
    return this.store.change(executionId, change);
  }
}
