import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { NotificationEvent, NotificationKind } from '../../shared/enums';
import { PageInfo } from '../executions/execution.types';
import { Notification } from './notification.entity';

@InputType()
export class NotificationChannelInput {
  @Field(() => NotificationKind) kind!: NotificationKind;

  @Field({ description: 'Telegram chat id (send /start to the bot to see it) or email address' })
  target!: string;
}

@InputType()
export class NotificationPreferencesInput {
  @Field(() => ID, {
    nullable: true,
    description: 'null: all my strategies (the default list); a strategy: its own list, which overrides the default',
  })
  strategyId?: string | null;

  @Field(() => [NotificationEvent], {
    description: "Replaces the scope's list; [] turns that scope's notifications off",
  })
  @ArrayMaxSize(20)
  events!: NotificationEvent[];
}

@ObjectType('NotificationPreference')
export class NotificationPreferenceView {
  @Field(() => ID, { nullable: true, description: 'null: the default for all my strategies' })
  strategyId!: string | null;

  @Field(() => [NotificationEvent]) events!: NotificationEvent[];
}

@ObjectType()
export class NotificationEdge {
  @Field() cursor!: string;
  @Field(() => Notification) node!: Notification;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
