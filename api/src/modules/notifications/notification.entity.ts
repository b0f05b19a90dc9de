import { Entity, Enum, Index, ManyToOne, Property, Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { NotificationEvent, NotificationStatus } from '../../shared/enums';
import { User } from '../users/user.entity';
import { NotificationChannel } from './notification-channel.entity';

// One message for one channel: the delivery log. Written PENDING by the dispatcher and sent (with retries and
// backoff) by the sender; several waiting for one channel go out together as one digest.
@ObjectType()
@Entity({ tableName: 'notifications' })
@Index({ properties: ['user', 'createdAt'] })
@Index({
  name: 'notifications_pending_index',
  expression: `create index "notifications_pending_index" on "notifications" ("channel_id", "next_attempt_at") where "status" = 'PENDING'`,
})
export class Notification extends BaseEntity<'channelId' | 'event' | 'text' | 'lastError'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @ManyToOne(() => NotificationChannel, { nullable: true, deleteRule: 'set null' })
  channel?: NotificationChannel;

  @Field(() => ID, { nullable: true, description: 'null once the channel is removed' })
  get channelId(): string | null {
    return this.channel?.id ?? null;
  }

  @Property({ length: 48 })
  eventType!: string;

  // The execution it is about (an approval request's Telegram buttons name it); null for other events
  @Property({ type: 'uuid', nullable: true })
  executionId?: string;

  @Field(() => NotificationEvent)
  get event(): NotificationEvent {
    return this.eventType as NotificationEvent;
  }

  @Field()
  @Property({ length: 200 })
  subject!: string;

  // Plain text: what Telegram shows, and the email's text part
  @Property({ type: 'text' })
  body!: string;

  @Field({ description: 'The message as sent (plain text)' })
  get text(): string {
    return this.body;
  }

  // The email's HTML part
  @Property({ type: 'text', nullable: true })
  html?: string;

  @Field(() => NotificationStatus)
  @Enum({ items: () => NotificationStatus })
  status: Opt<NotificationStatus> = NotificationStatus.PENDING;

  @Field(() => Int)
  @Property()
  attempts: Opt<number> = 0;

  @Property({ type: 'text', nullable: true })
  error?: string;

  @Field(() => String, { nullable: true })
  get lastError(): string | null {
    return this.error ?? null;
  }

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  nextAttemptAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;
}
