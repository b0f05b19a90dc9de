import { Entity, Index, ManyToOne, Property, Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { JSONScalar } from '../../graphql/scalars/json.scalar';
import { Execution } from '../executions/execution.entity';
import { User } from '../users/user.entity';

// An execution whose retries ran out; kept for inspection and replay, never silently dropped.
@ObjectType()
@Entity({ tableName: 'dead_letters' })
@Index({ properties: ['user', 'createdAt'] })
export class DeadLetter extends BaseEntity<'executionId'> {
  @ManyToOne(() => Execution, { deleteRule: 'cascade' })
  execution!: Execution;

  @Field(() => ID)
  get executionId(): string {
    return this.execution.id;
  }

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field()
  @Property({ length: 64 })
  reason!: string;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field(() => Int)
  @Property()
  attempts: Opt<number> = 0;

  @Field(() => JSONScalar, { nullable: true })
  @Property({ type: 'json', nullable: true })
  payload?: unknown;

  @Field({ nullable: true })
  @Property({ type: 'datetime', nullable: true })
  replayedAt?: Date;
}
