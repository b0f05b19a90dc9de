import { isBrokerError, UnknownOutcomeError } from '@algodatta/broker-sdk';
import { EntityManager, LockMode, MikroORM } from '@mikro-orm/postgresql';
import { ExecutionEventType, ExecutionStatus, NotificationEvent } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { DeadLetter } from '../dead-letters/dead-letter.entity';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { ExecutionEventsService, PendingEvent } from './execution-events.service';
import { Execution } from './execution.entity';
import { retryDelayMs, RetryPolicy } from './retry-policy';

// Reasons read like the webhook's (snake case): broker code INSUFFICIENT_FUNDS -> insufficient_funds
const reasonOf = (code: string) => code.toLowerCase();

export type RetryScheduler = { scheduleAttempt(executionId: string, at: Date): Promise<void> };
export type AuthErrorHook = (executionId: string, code: string, message: string) => Promise<void>;
// The broker no longer accepts the stored credentials (a permission error on one segment is not this)
export const AUTH_ERROR_CODES = ['AUTH_FAILED', 'TOKEN_EXPIRED'];

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
  ) {}

  async handle(executionId: string, attempt: number, error: unknown): Promise<void> {
    const broker = isBrokerError(error);
    if (broker && !error.retryable && !(error instanceof UnknownOutcomeError)) {
      return this.reject(executionId, reasonOf(error.code), error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (!broker) logger.error('unexpected error while executing; will retry', { executionId, error });
    if (attempt >= this.policy.maxAttempts) return this.deadLetter(executionId, broker ? reasonOf(error.code) : 'internal_error', message, attempt);
    const retryAfter = broker && error.retryAfterMs ? error.retryAfterMs : 0;
    const delay = Math.max(retryAfter, retryDelayMs(this.policy, attempt));
    const at = new Date(Date.now() + delay);
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      execution.nextAttemptAt = at;
      execution.lastError = message;
      return [this.events.record(em, execution, ExecutionEventType.ERROR, { attempt, code: broker ? reasonOf(error.code) : 'internal_error', message, retryInMs: delay })];
    });
    await this.scheduler.scheduleAttempt(executionId, at);
  }

  async reject(executionId: string, reason: string, message: string): Promise<void> {
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      execution.status = ExecutionStatus.REJECTED;
      execution.rejectReason = reason;
      execution.lastError = message;
      return [this.events.record(em, execution, ExecutionEventType.ORDER_REJECTED, { reason, message })];
    });
    if (this.onAuthError && AUTH_ERROR_CODES.includes(reason.toUpperCase())) {
      await this.onAuthError(executionId, reason, message).catch((error: unknown) => logger.error('auth error hook failed', { executionId, error }));
    }
  }

  private async deadLetter(executionId: string, reason: string, message: string, attempts: number): Promise<void> {
    await this.update(executionId, (em, execution) => {
      if (execution.status !== ExecutionStatus.PENDING) return [];
      execution.status = ExecutionStatus.FAILED;
      execution.rejectReason = 'retries_exhausted';
      execution.lastError = message;
      em.create(DeadLetter, { execution, user: execution.user, reason, lastError: message, attempts, payload: { request: execution.brokerRequest ?? null } });
      enqueueNotification(em, {
        event: NotificationEvent.DEAD_LETTER, userId: execution.user.id, strategyId: execution.strategy.id, executionId: execution.id,
        data: { reason, message, attempts }, admins: reason === 'internal_error',
      });
      return [this.events.record(em, execution, ExecutionEventType.ERROR, { attempt: attempts, code: reason, message, deadLetter: true })];
    });
    logger.warn('execution dead-lettered', { executionId, reason, attempts });
  }

  private async update(executionId: string, change: (em: EntityManager, execution: Execution) => PendingEvent[]): Promise<void> {
    let published: PendingEvent[] = [];
    await this.orm.em.fork().transactional(async (em) => {
      const execution = await em.findOneOrFail(Execution, executionId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      published = change(em, execution);
    });
    this.events.publish(published);
  }
}
