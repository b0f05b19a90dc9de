import { ExecutionStatus } from '../../../shared/enums';
import {
  assertTransition,
  canTransition,
  ForbiddenTransitionError,
  statusesBefore,
  TRANSITIONS,
} from './execution-transitions';
import { brokerReason, isAuthReason } from './reject-reasons';

const ALL = Object.values(ExecutionStatus);
const { AWAITING_APPROVAL, PENDING, PLACED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELLED, FAILED } = ExecutionStatus;

describe('the execution transition table', () => {
  it('should name every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  it('should refuse every move the table does not list, and throw for it', () => {
    const forbidden: Array<[ExecutionStatus, ExecutionStatus]> = [
      [FILLED, PLACED],
      [FILLED, REJECTED],
      [REJECTED, PENDING],
      [CANCELLED, FILLED],
      [PLACED, PENDING],
      [PARTIALLY_FILLED, PLACED],
      [FAILED, PLACED],
      [FAILED, FILLED],
      [PENDING, PENDING],
      [AWAITING_APPROVAL, PLACED],
      [AWAITING_APPROVAL, FILLED],
      [PENDING, AWAITING_APPROVAL],
      [REJECTED, AWAITING_APPROVAL],
    ];
    for (const [from, to] of forbidden) {
      expect({ from, to, allowed: canTransition(from, to) }).toEqual({ from, to, allowed: false });
      expect(() => assertTransition(from, to)).toThrow(ForbiddenTransitionError);
    }
  });

  it('should only move forward, except a replayed dead letter; an approval only into PENDING or REJECTED', () => {
    for (const from of ALL)
      for (const to of ALL) {
        if (!canTransition(from, to)) continue;
        expect(() => assertTransition(from, to)).not.toThrow();
        if (to === PENDING) expect([FAILED, AWAITING_APPROVAL]).toContain(from);
        expect(to).not.toBe(AWAITING_APPROVAL);
      }
    expect([...TRANSITIONS[AWAITING_APPROVAL]].sort()).toEqual([PENDING, REJECTED].sort());
    expect(ALL.filter((s) => TRANSITIONS[s].length === 0).sort()).toEqual([CANCELLED, FILLED, REJECTED].sort());
  });

  it('should give the broker-update statement the statuses it may move from', () => {
    expect(statusesBefore(PLACED)).toEqual([PENDING]);
    expect(statusesBefore(REJECTED).sort()).toEqual([PENDING, PLACED, PARTIALLY_FILLED].sort());
    // Nothing was sent for an execution awaiting approval: no broker report moves it
    expect(statusesBefore(PENDING)).toEqual([FAILED]);
  });
});

describe('reject reasons', () => {
  it('should write a broker code in snake case and know the auth ones by it', () => {
    expect(brokerReason('INSUFFICIENT_FUNDS')).toBe('insufficient_funds');
    expect(isAuthReason(brokerReason('TOKEN_EXPIRED'))).toBe(true);
    expect(isAuthReason(brokerReason('AUTH_FAILED'))).toBe(true);
    expect(isAuthReason(brokerReason('PERMISSION_DENIED'))).toBe(false);
    expect(isAuthReason('kill_switch')).toBe(false);
  });
});
