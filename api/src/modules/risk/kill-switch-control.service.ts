import { EntityManager } from '@mikro-orm/postgresql';
import { NotificationEvent } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { audit } from '../audit/audit.service';
import { OPEN_AT_BROKER } from '../executions/execution-status';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { Execution } from '../executions/execution.entity';
import type { OrderCanceller } from '../executions/placement/order-canceller';
import { User } from '../users/user.entity';
import { KillSwitchService } from './kill-switch.service';

// Turning the switch on halts intake at once (every process reads it per alert) and cancels orders resting at brokers.
export class KillSwitchControl {
  constructor(
    private readonly state: KillSwitchService,
    private readonly canceller: OrderCanceller,
    // Accounts that opted in get the broker's own kill switch too (after their orders were cancelled)
    private readonly atBrokers?: (active: boolean) => Promise<unknown>,
  ) {}

  async set(em: EntityManager, actor: User, enabled: boolean, ip: string): Promise<boolean> {
    await this.state.set(em, enabled, actor.email);
    audit(em, { actor, action: enabled ? 'kill_switch.on' : 'kill_switch.off', ip });
    // Every trader hears about it (their alerts are rejected meanwhile), with their own preferences
    enqueueNotification(em, {
      event: NotificationEvent.KILL_SWITCH,
      everyone: true,
      data: { enabled, by: actor.email },
    });
    await em.flush();
    logger.warn(enabled ? 'kill switch ON' : 'kill switch off', { by: actor.email });
    if (enabled) {
      const open = await em.fork().find(Execution, { status: { $in: OPEN_AT_BROKER } }, { populate: ['strategy'] });
      for (const execution of open) await this.canceller.cancel(execution, 'kill_switch');
      // A native bracket whose entry filled still has its exit legs working at the broker: cancelled too
      await this.canceller.cancelBrackets();
      // Only on: the broker's switch holds for the rest of its day, the owner turns it off there
      await this.atBrokers?.(true);
    }
    return enabled;
  }
}
