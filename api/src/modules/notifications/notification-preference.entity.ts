import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { Strategy } from '../strategies/strategy.entity';
import { User } from '../users/user.entity';

// Which events a user wants: one row for all their strategies (strategy null) and optional per-strategy rows
// that override it. No row at all means the defaults (DEFAULT_NOTIFICATION_EVENTS).
@Entity({ tableName: 'notification_preferences' })
@Index({
  name: 'notification_preferences_scope_unique',
  expression: `create unique index "notification_preferences_scope_unique" on "notification_preferences" ("user_id", "strategy_id") nulls not distinct`,
})
export class NotificationPreference extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @ManyToOne(() => Strategy, { nullable: true, deleteRule: 'cascade' })
  strategy?: Strategy;

  @Property({ type: 'json' })
  events!: string[];
}
