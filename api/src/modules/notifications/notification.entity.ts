import { Entity, Enum, Index, ManyToOne, Property, Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { NotificationStatus } from '../../shared/enums';
import { User } from '../users/user.entity';
import { NotificationChannel } from './notification-channel.entity';

// The notification outbox: rows are written with the event and sent (with retries) by a job.
@Entity({ tableName: 'notifications' })
@Index({ properties: ['status', 'createdAt'] })
export class Notification extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @ManyToOne(() => NotificationChannel, { nullable: true, deleteRule: 'set null' })
  channel?: NotificationChannel;

  @Property({ length: 48 })
  eventType!: string;

  @Property({ length: 200 })
  subject!: string;

  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: () => NotificationStatus })
  status: Opt<NotificationStatus> = NotificationStatus.PENDING;

  @Property()
  attempts: Opt<number> = 0;

  @Property({ type: 'text', nullable: true })
  error?: string;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;
}
