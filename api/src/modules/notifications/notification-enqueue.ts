import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationEvent } from '../../shared/enums';
import { User } from '../users/user.entity';
import { NotificationOutbox } from './notification-outbox.entity';

export type OutboxEntry = {
  event: NotificationEvent;
  userId?: string;
  strategyId?: string;
  executionId?: string;
  data?: Record<string, unknown>;
  everyone?: boolean;
  admins?: boolean;
};

// Records that someone may need to hear about this, in the caller's unit of work (flushed with its other
// changes, so a rolled-back change notifies nobody). Sending happens later, elsewhere, never on this path.
export function enqueueNotification(em: EntityManager, entry: OutboxEntry): void {
  em.create(NotificationOutbox, {
    event: entry.event,
    user: entry.userId ? em.getReference(User, entry.userId) : undefined,
    strategyId: entry.strategyId,
    executionId: entry.executionId,
    data: entry.data,
    everyone: entry.everyone ?? false,
    admins: entry.admins ?? false,
  });
}
