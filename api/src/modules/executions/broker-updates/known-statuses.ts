import { ExecutionStatus } from '../../../shared/enums';
import { RecentMap } from '../../../shared/recent-map';
import { canMove } from '../execution-status';

// What an order update may bring besides a status: the broker's order id and the exchange algo id
export type BroughtIds = { brokerOrderId: boolean; algoId?: boolean };

// The last status this process wrote for each recent order. Statuses only move forward, so what is known here
// is never ahead of the database: when even this status cannot move to the target, the database's cannot either.
export class KnownStatuses {
  private readonly entries = new RecentMap<
    string,
    { status: ExecutionStatus; hasBrokerOrderId: boolean; hasAlgoId: boolean }
  >(20_000);

  changesNothing(clientOrderId: string, target: ExecutionStatus, brings: BroughtIds): boolean {
    const known = this.entries.get(clientOrderId);
    return Boolean(
      known &&
      !canMove(known.status, target) &&
      (!brings.brokerOrderId || known.hasBrokerOrderId) &&
      (!brings.algoId || known.hasAlgoId),
    );
  }

  // `has.algoId` absent: what was known stays (a fill never names the algo id)
  set(clientOrderId: string, status: ExecutionStatus, has: BroughtIds): void {
    const hasAlgoId = has.algoId ?? this.entries.get(clientOrderId)?.hasAlgoId ?? false;
    this.entries.set(clientOrderId, { status, hasBrokerOrderId: has.brokerOrderId, hasAlgoId });
  }
}
