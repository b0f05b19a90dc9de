import { ExecutionStatus } from '../../../shared/enums';
import { RecentMap } from '../../../shared/recent-map';
import { canMove } from '../execution-status';

// The last status this process wrote for each recent order. Statuses only move forward, so what is known here
// is never ahead of the database: when even this status cannot move to the target, the database's cannot either.
export class KnownStatuses {
  private readonly entries = new RecentMap<string, { status: ExecutionStatus; hasBrokerOrderId: boolean }>(20_000);

  changesNothing(clientOrderId: string, target: ExecutionStatus, bringsBrokerOrderId: boolean): boolean {
    const known = this.entries.get(clientOrderId);
    return Boolean(known && !canMove(known.status, target) && (!bringsBrokerOrderId || known.hasBrokerOrderId));
  }

  set(clientOrderId: string, status: ExecutionStatus, hasBrokerOrderId: boolean): void {
    this.entries.set(clientOrderId, { status, hasBrokerOrderId });
  }
}
