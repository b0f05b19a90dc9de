import { Field, ID, ObjectType } from 'type-graphql';
import { ExecutionEventType } from '../../shared/enums';
import { JSONScalar } from '../../graphql/scalars/json.scalar';

@ObjectType('ExecutionEvent')
export class ExecutionEventMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => ExecutionEventType)
  type!: ExecutionEventType;

  @Field(() => ID)
  executionId!: string;

  @Field(() => ID)
  alertId!: string;

  @Field()
  correlationId!: string;

  @Field(() => ID)
  strategyId!: string;

  @Field()
  at!: Date;

  @Field(() => JSONScalar, { nullable: true })
  payload?: unknown;

  // Owner of the strategy; used to filter subscriptions, not exposed
  userId!: string;
}
