import { ExecutionStatus } from '../../shared/enums';
import { canMove } from './execution-status';

const MAX_ENTRIES = 20_000;

// The last status this process wrote for each recent order. Statuses only move forward, so what is known here
// is never ahead of the database: when even this status cannot move to the target, the database's cannot either.
export class KnownStatuses {
  private readonly entries = new Map<string, { status: ExecutionStatus; hasBrokerOrderId: boolean }>();

  changesNothing(clientOrderId: string, target: ExecutionStatus, bringsBrokerOrderId: boolean): boolean {
    const known = this.entries.get(clientOrderId);
    return Boolean(known && !canMove(known.status, target) && (!bringsBrokerOrderId || known.hasBrokerOrderId));
  }

  set(clientOrderId: string, status: ExecutionStatus, hasBrokerOrderId: boolean): void {
    this.entries.delete(clientOrderId);
    // Oldest first out (a Map iterates in insertion order)
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(clientOrderId, { status, hasBrokerOrderId });
  }
}
