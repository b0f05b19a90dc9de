import type { OrderStatus } from '@algodatta/broker-sdk';
import { ExecutionStatus } from '../../shared/enums';

const RANK: Record<ExecutionStatus, number> = {
  PENDING: 0, PLACED: 1, PARTIALLY_FILLED: 2, FILLED: 3, REJECTED: 3, CANCELLED: 3, FAILED: 3,
};

export const TERMINAL = new Set([ExecutionStatus.FILLED, ExecutionStatus.REJECTED, ExecutionStatus.CANCELLED, ExecutionStatus.FAILED]);
export const OPEN_AT_BROKER = [ExecutionStatus.PLACED, ExecutionStatus.PARTIALLY_FILLED];

// Updates arrive out of order from several sources (response, stream, postback, poll): a state only moves forward.
export function canMove(from: ExecutionStatus, to: ExecutionStatus): boolean {
  if (from === to) return false;
  if (TERMINAL.has(from)) return false;
  return RANK[to] >= RANK[from];
}

export function fromBrokerStatus(status: OrderStatus): ExecutionStatus {
  switch (status) {
    case 'pending_submit':
    case 'open': return ExecutionStatus.PLACED;
    case 'partially_filled': return ExecutionStatus.PARTIALLY_FILLED;
    case 'filled': return ExecutionStatus.FILLED;
    case 'rejected': return ExecutionStatus.REJECTED;
    case 'cancelled':
    case 'expired': return ExecutionStatus.CANCELLED;
  }
}
