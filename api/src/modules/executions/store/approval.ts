import type { EntityManager } from '@mikro-orm/postgresql';
import { AlertStatus, ExecutionStatus } from '../../../shared/enums';
import { Alert } from '../../alerts/alert.entity';
import type { Execution } from '../execution.entity';
import { moveTo, reject } from './execution.store';
import type { RejectReason } from './reject-reasons';

// The approval queue's moves, made under the store's row lock (ExecutionStore.change). Each returns whether it
// moved the execution: a second approval (or a rejection racing an approval) finds it moved and does nothing.

/** Approved: PENDING and due now; the executor places it. */
export function approve(execution: Execution): boolean {
  if (execution.status !== ExecutionStatus.AWAITING_APPROVAL) return false;
  moveTo(execution, ExecutionStatus.PENDING);
  Object.assign(execution, { nextAttemptAt: null, leaseUntil: null });
  return true;
}

/** Rejected by its owner, a failed re-check or expiry: REJECTED, and its alert is done (it never reached the executor). */
export async function decline(
  em: EntityManager,
  execution: Execution,
  reason: RejectReason,
  message: string,
): Promise<boolean> {
  if (execution.status !== ExecutionStatus.AWAITING_APPROVAL) return false;
  reject(execution, reason, message);
  await em.nativeUpdate(
    Alert,
    { id: execution.alert.id, processedAt: null },
    {
      status: AlertStatus.REJECTED,
      processedAt: new Date(),
      rejectReason: reason,
      errorText: message,
    },
  );
  return true;
}
