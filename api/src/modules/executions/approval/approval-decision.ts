import { AppError } from '../../../shared/app-error';
import { ExecutionStatus } from '../../../shared/enums';
import type { ApprovalService } from './approval.service';

export type ApprovalDecision = {
  outcome: 'approved' | 'rejected' | 'refused' | 'already' | 'not_found';
  status?: string;
  reason?: string;
  symbol?: string;
};

// One answer to an approval request from outside the dashboard (a Telegram button): what happened, in words a
// chat can show, never an exception. An execution already decided (approved, rejected, expired) is left as it is.
export async function decideApproval(
  approvals: ApprovalService,
  userId: string,
  executionId: string,
  action: 'approve' | 'reject',
): Promise<ApprovalDecision> {
  const before = await approvals.find(userId, executionId);
  if (!before) return { outcome: 'not_found' };
  const facts = (e: { status: string; rejectReason?: string; symbol: string }) => ({
    status: e.status,
    reason: e.rejectReason ?? undefined,
    symbol: e.symbol,
  });
  if (before.status !== ExecutionStatus.AWAITING_APPROVAL) return { outcome: 'already', ...facts(before) };
  try {
    if (action === 'reject') {
      const after = await approvals.reject(userId, executionId, 'from Telegram');
      return { outcome: 'rejected', ...facts(after) };
    }
    const after = await approvals.approve(userId, executionId);
    // The re-check (kill switch, strategy, entry rules, signal age) refused it: it ended REJECTED
    if (after.status === ExecutionStatus.REJECTED) return { outcome: 'refused', ...facts(after) };
    return { outcome: 'approved', ...facts(after) };
  } catch (error) {
    // Decided by someone else between the read and the change (the dashboard, another press, the expiry)
    if (error instanceof AppError && error.code === 'CONFLICT') {
      const now = await approvals.find(userId, executionId);
      return now ? { outcome: 'already', ...facts(now) } : { outcome: 'not_found' };
    }
    throw error;
  }
}
