import { Entity, Index, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { User } from '../users/user.entity';

// Something happened that someone may want to hear about. Written in the transaction that made it happen (dead
// letter, daily loss, token expiry, kill switch) or, for order events, in batches after their commit; the
// dispatcher turns each row into messages for the channels and preferences of its audience, exactly once.
@Entity({ tableName: 'notification_outbox' })
@Index({
  name: 'notification_outbox_pending_index',
  expression: `create index "notification_outbox_pending_index" on "notification_outbox" ("created_at") where "dispatched_at" is null`,
})
export class NotificationOutbox extends BaseEntity {
  // The user it is about; null with `everyone` (kill switch)
  @ManyToOne(() => User, { nullable: true, deleteRule: 'cascade' })
  user?: User;

  @Property({ length: 48 })
  event!: string;

  @Property({ type: 'uuid', nullable: true })
  strategyId?: string;

  @Property({ type: 'uuid', nullable: true })
  executionId?: string;

  // What the template needs beyond the execution and strategy rows
  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown>;

  // Every active user hears about it (kill switch)
  @Property({ default: false })
  everyone: Opt<boolean> = false;

  // Administrators hear about it too (system errors)
  @Property({ default: false })
  admins: Opt<boolean> = false;

  // Makes a job that runs twice enqueue once (daily summary)
  @Unique()
  @Property({ length: 120, nullable: true })
  dedupeKey?: string;

  @Property({ type: 'datetime', nullable: true })
  dispatchedAt?: Date;
}
