import { ExecutionStatus } from '../../../shared/enums';

const { AWAITING_APPROVAL, PENDING, PLACED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, FAILED } = ExecutionStatus;

// Every status an execution may move to from each status; anything else is a bug. Updates arrive out of order
// from several sources (the placeOrder answer, a stream, a postback, the poll), so a state only moves forward;
// FILLED, REJECTED and CANCELLED are final. FAILED (retries exhausted, a dead letter) goes back to PENDING only
// when someone replays it. One exception, kept from before the table: a fill is a fact, so the fill statements
// (order-update.sql.ts) record a fill the broker reports after its cancel and count it (PARTIALLY_FILLED/FILLED).
// AWAITING_APPROVAL (a strategy with requireApproval) is approved into PENDING or rejected (by its owner, a failed
// re-check or expiry); nothing is sent to a broker before that.
export const TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  [AWAITING_APPROVAL]: [PENDING, REJECTED],
  [PENDING]: [PLACED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, FAILED],
  [PLACED]: [PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, FAILED],
  [PARTIALLY_FILLED]: [FILLED, REJECTED, CANCELLED, FAILED],
  [FILLED]: [],
  [REJECTED]: [],
  [CANCELLED]: [],
  [FAILED]: [PENDING],
};

export const TERMINAL = new Set([FILLED, REJECTED, CANCELLED, FAILED]);
export const OPEN_AT_BROKER = [PLACED, PARTIALLY_FILLED];

export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false;
}

export class ForbiddenTransitionError extends Error {
  constructor(
    readonly from: ExecutionStatus,
    readonly to: ExecutionStatus,
  ) {
    super(`an execution cannot move from ${from} to ${to}`);
    this.name = 'ForbiddenTransitionError';
  }
}

export function assertTransition(from: ExecutionStatus, to: ExecutionStatus): void {
  if (!canTransition(from, to)) throw new ForbiddenTransitionError(from, to);
}

/** The statuses an execution may be in for a broker's move to `to` (the SQL's `old_status = any(?)`). An execution
 * awaiting approval has sent nothing, so no broker report may move it. */
export function statusesBefore(to: ExecutionStatus): ExecutionStatus[] {
  return (Object.keys(TRANSITIONS) as ExecutionStatus[]).filter(
    (from) => from !== AWAITING_APPROVAL && canTransition(from, to),
  );
}
