import { Entity, Enum, Index, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { NotificationKind } from '../../shared/enums';
import { User } from '../users/user.entity';

// Where a user wants to hear about fills and errors: a Telegram chat or an email address. Only a verified
// channel (its 6-digit code entered) receives messages; a Telegram chat is verified for one user at most, so
// the bot knows whose data a chat may see.
@ObjectType()
@Entity({ tableName: 'notification_channels' })
@Unique({ properties: ['user', 'kind', 'target'] })
@Index({
  name: 'notification_channels_verified_telegram_unique',
  expression: `create unique index "notification_channels_verified_telegram_unique" on "notification_channels" ("target") where "kind" = 'TELEGRAM' and "verified"`,
})
export class NotificationChannel extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  @Field({ description: 'Telegram chat id or email address' })
  @Property({ length: 254 })
  target!: string;

  // Encrypted channel secrets, e.g. a user's own Telegram bot token
  @Property({ type: 'text', nullable: true, hidden: true })
  configEnc?: string;

  @Field(() => Boolean)
  @Property({ default: false })
  verified: Opt<boolean> = false;

  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date;

  // sha256 of the pending verification code (with the channel id); cleared once verified
  @Property({ length: 64, nullable: true, hidden: true })
  codeHash?: string;

  @Property({ type: 'datetime', nullable: true })
  codeExpiresAt?: Date;

  @Property({ default: 0 })
  codeAttempts: Opt<number> = 0;

  // The sender that holds this lease is the only one sending to the channel (one process, one message at a time)
  @Property({ type: 'datetime', nullable: true })
  sendLeaseUntil?: Date;

  // Not before this time: one message per second per chat, or Telegram's retry_after
  @Property({ type: 'datetime', nullable: true })
  sendAfter?: Date;
}
