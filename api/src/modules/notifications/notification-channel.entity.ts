import { Entity, Enum, ManyToOne, Property, Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { NotificationKind } from '../../shared/enums';
import { User } from '../users/user.entity';

// Where a user wants to hear about fills and errors: a Telegram chat or an email address.
@Entity({ tableName: 'notification_channels' })
export class NotificationChannel extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  // Telegram chat id or email address
  @Property({ length: 254 })
  target!: string;

  // Encrypted channel secrets, e.g. a user's own Telegram bot token
  @Property({ type: 'text', nullable: true, hidden: true })
  configEnc?: string;

  @Property({ type: 'json' })
  events: Opt<string[]> = ['ORDER_FILLED', 'ORDER_REJECTED', 'ERROR'];

  @Property()
  enabled: Opt<boolean> = true;
}
