import { MikroORM } from '@mikro-orm/postgresql';
import type { Sql } from '../../../db/sql';
import { conflict, notFound } from '../../../shared/app-error';
import { ExecutionEventType, ExecutionStatus } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import type { AlertIntakeService } from '../../alerts/alert-intake.service';
import type { AlertSignal } from '../../alerts/alert-signal';
import { Alert } from '../../alerts/alert.entity';
import { targetSignal } from '../../alerts/fan-out';
import type { StrategyCache } from '../../strategies/strategy-snapshot';
import type { ExecutionEventsService } from '../execution-events.service';
import { Execution } from '../execution.entity';
import type { ExecutorService } from '../placement/executor.service';
import { approve, decline } from '../store/approval';
import { ExecutionStore } from '../store/execution.store';
import type { RuleRejectReason } from '../store/reject-reasons';

const { AWAITING_APPROVAL, REJECTED } = ExecutionStatus;

// Semi-automatic mode: a strategy's accepted alerts wait as AWAITING_APPROVAL until their owner approves (the door
// rules are decided again, the signal's age included, then the order is placed at once) or rejects them, or until
// approvalTimeoutMinutes pass. Only the owner answers: an admin does not trade other users' money (api-contract).
export class ApprovalService {
  private readonly store: ExecutionStore;

  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
    private readonly events: ExecutionEventsService,
    private readonly intake: AlertIntakeService,
    private readonly strategies: StrategyCache,
    private readonly executor: ExecutorService,
  ) {
    this.store = new ExecutionStore(orm, events);
  }

  // Approving twice places once: the second finds it moved under the row lock and returns it as it is
  async approve(userId: string, id: string): Promise<Execution> {
    const execution = await this.own(userId, id);
    if (execution.status === REJECTED)
      throw conflict(`execution ${id} was rejected (${execution.rejectReason}); it cannot be approved`);
    if (execution.status !== AWAITING_APPROVAL) return execution;
    const check = await this.recheck(execution);
    if (!check.ok) {
      await this.decline(id, check.reason, `approval refused: ${check.message}`);
      return this.own(userId, id);
    }
    let approved = false;
    await this.store.change(id, async (em, locked) => {
      approved = approve(locked);
      return approved ? [this.events.record(em, locked, ExecutionEventType.APPROVED, {})] : [];
    });
    if (approved) await this.executor.run(id);
    return this.own(userId, id);
  }

  async reject(userId: string, id: string, reason?: string): Promise<Execution> {
    const execution = await this.own(userId, id);
    if (execution.status === REJECTED) return execution;
    if (execution.status !== AWAITING_APPROVAL)
      throw conflict(`execution ${id} is ${execution.status}, not awaiting approval`);
    const message = reason?.trim() ? `rejected by its owner: ${reason.trim().slice(0, 500)}` : 'rejected by its owner';
    await this.decline(id, 'approval_rejected', message);
    const after = await this.own(userId, id);
    if (after.status !== REJECTED) throw conflict(`execution ${id} was approved first; it is ${after.status}`);
    return after;
  }

  // Rejects what waited longer than its strategy's approvalTimeoutMinutes (run with the recovery sweep)
  async expire(): Promise<number> {
    const due = await this.sql.query<{ id: string; minutes: number }>(
      `select e.id, s.approval_timeout_minutes as minutes from executions e join strategies s on s.id = e.strategy_id
       where e.status = 'AWAITING_APPROVAL' and e.created_at < now() - s.approval_timeout_minutes * interval '1 minute'`,
      [],
    );
    for (const { id, minutes } of due) {
      const message = `not approved within ${minutes} min`;
      await this.decline(id, 'approval_expired', message);
    }
    if (due.length) logger.info('approvals expired', { count: due.length });
    return due.length;
  }

  // Ends a waiting execution REJECTED with its event, under the row lock; nothing when it already moved on
  private async decline(id: string, reason: RuleRejectReason, message: string): Promise<void> {
    await this.store.change(id, async (em, locked) =>
      (await decline(em, locked, reason, message))
        ? [this.events.record(em, locked, ExecutionEventType.ORDER_REJECTED, { reason, message })]
        : [],
    );
  }

  private async recheck(execution: Execution) {
    const strategy = await this.strategies.byId(execution.strategy.id);
    if (!strategy)
      return { ok: false as const, reason: 'strategy_disabled' as const, message: 'the strategy was deleted' };
    const alert = await this.orm.em.fork().findOneOrFail(Alert, execution.alert.id);
    const signal = alert.payload as unknown as AlertSignal;
    // A fan-out target is judged as at its door (alerts/fan-out.ts): its stored signal is already scaled, and
    // its quantity (where the alert has none, or the sizing mode ignores it) is the strategy's x its multiplier,
    // rounded down to whole lots or shares; a paused target (multiplier 0) keeps the strategy's
    const judged = strategy.parentStrategyId ? (targetSignal(strategy, signal)?.strategy ?? strategy) : strategy;
    return this.intake.precheck(judged, signal);
  }

  // The user's own execution, or null (another user's is not found either)
  find(userId: string, id: string): Promise<Execution | null> {
    return this.orm.em.fork().findOne(Execution, { id, user: userId });
  }

  private async own(userId: string, id: string): Promise<Execution> {
    const execution = await this.orm.em.fork().findOne(Execution, { id, user: userId });
    if (!execution) throw notFound('execution');
    return execution;
  }
}
