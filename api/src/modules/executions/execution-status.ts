import type { OrderStatus } from '@algodatta/broker-sdk';
import { ExecutionStatus } from '../../shared/enums';
import { canTransition } from './store/execution-transitions';

// The table lives with the store (store/execution-transitions.ts); these names stay for the broker-update path
export { OPEN_AT_BROKER, TERMINAL } from './store/execution-transitions';

// Updates arrive out of order from several sources (response, stream, postback, poll): a state only moves forward.
export function canMove(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return canTransition(from, to);
}

export function fromBrokerStatus(status: OrderStatus): ExecutionStatus {
  switch (status) {
    case 'pending_submit':
    case 'open':
      return ExecutionStatus.PLACED;
    case 'partially_filled':
      return ExecutionStatus.PARTIALLY_FILLED;
    case 'filled':
      return ExecutionStatus.FILLED;
    case 'rejected':
      return ExecutionStatus.REJECTED;
    case 'cancelled':
    case 'expired':
      return ExecutionStatus.CANCELLED;
  }
}
