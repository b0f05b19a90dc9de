import { EntityManager, LockMode, MikroORM } from '@mikro-orm/postgresql';
import { ExecutionStatus } from '../../../shared/enums';
import type { ExecutionEventsService, PendingEvent } from '../execution-events.service';
import { Execution } from '../execution.entity';
import { assertTransition } from './execution-transitions';
import type { RejectReason } from './reject-reasons';

// The one owner of an execution's state. Every status change goes through here: the ORM ones below (a rejection,
// a dead letter, a replay, made under the row lock) and the hot path's statements in this folder (claim.sql.ts,
// order-update.sql.ts): a broker's order snapshot moves only from the statuses the table allows (statusesBefore). api/test/execution-store.test.ts fails when a
// file outside this folder writes an execution's status or runs UPDATE executions.
export class ExecutionStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly events: ExecutionEventsService,
  ) {}

  // Locks the execution, lets `change` edit it (through the functions below) and commits; the events it recorded
  // are published once committed.
  async change(
    executionId: string,
    change: (em: EntityManager, execution: Execution) => PendingEvent[] | Promise<PendingEvent[]>,
  ): Promise<void> {
    let published: PendingEvent[] = [];
    await this.orm.em.fork().transactional(async (em) => {
      const execution = await em.findOneOrFail(Execution, executionId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      published = await change(em, execution);
    });
    this.events.publish(published);
  }
}

/** Moves a locked execution to `to`; throws ForbiddenTransitionError when the table does not allow it. */
export function moveTo(execution: Execution, to: ExecutionStatus): void {
  assertTransition(execution.status, to);
  execution.status = to;
}

export function reject(execution: Execution, reason: RejectReason, message: string): void {
  moveTo(execution, ExecutionStatus.REJECTED);
  execution.rejectReason = reason;
  execution.lastError = message;
}

/** Retries exhausted: the execution becomes a dead letter (the caller records the letter itself). */
export function exhaust(execution: Execution, message: string): void {
  moveTo(execution, ExecutionStatus.FAILED);
  execution.rejectReason = 'retries_exhausted';
  execution.lastError = message;
}

/** A dead letter replayed: back to PENDING with fresh attempts, due now. */
export function requeue(execution: Execution): void {
  moveTo(execution, ExecutionStatus.PENDING);
  Object.assign(execution, { attempts: 0, nextAttemptAt: null, leaseUntil: null, rejectReason: null });
}

/** Waiting executions made due now (their next attempt decides them); only those still PENDING. */
export async function makeDue(em: EntityManager, ids: string[]): Promise<void> {
  if (ids.length)
    await em.nativeUpdate(Execution, { id: { $in: ids }, status: ExecutionStatus.PENDING }, { nextAttemptAt: null });
}
