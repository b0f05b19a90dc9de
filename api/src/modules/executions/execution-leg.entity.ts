import { Entity, Index, ManyToOne, Property, Unique, type Rel, Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity, money } from '../../shared/base.entity';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { Execution } from './execution.entity';

// One broker order of an execution whose quantity is above the exchange freeze limit (issue 18): the execution
// stays the one record of the alert's order (its qty, filled qty and average price are the legs' totals); these
// rows say how it went out. Written only by executions/store/legs.sql.ts. A leg the core splits off has its own
// clientOrderId (`<execution's>-L<n>`); the legs of a broker-sliced order (has.sliceOrders) share `<execution's>-S`
// and are told apart by the broker's order id.
@ObjectType({ description: 'One broker order of an execution split at the exchange freeze limit' })
@Entity({ tableName: 'execution_legs' })
@Unique({ properties: ['execution', 'leg'] })
@Index({ properties: ['clientOrderId'] })
// The recovery sweep looks for legs not sent yet on every run: only those, however many legs the table keeps
@Index({
  name: 'execution_legs_unsent_index',
  expression: `create index "execution_legs_unsent_index" on "execution_legs" ("execution_id") where "status" = 'NEW'`,
})
export class ExecutionLeg extends BaseEntity {
  @ManyToOne(() => Execution, { deleteRule: 'cascade' })
  execution!: Rel<Execution>;

  @Field(() => Int, { description: '1, 2, ... in the order the legs were sent' })
  @Property()
  leg!: number;

  @Field()
  @Property({ length: 64 })
  clientOrderId!: string;

  @Field({ nullable: true })
  @Property({ length: 64, nullable: true })
  brokerOrderId?: string;

  @Field(() => DecimalScalar, { description: 'Units this leg carries' })
  @Property(money())
  qty!: string;

  @Field(() => String, {
    description:
      'NEW (not sent yet), PLACED, PARTIALLY_FILLED, FILLED, REJECTED or CANCELLED (as the broker reports the order)',
  })
  @Property({ length: 24, default: 'NEW' })
  status: Opt<string> = 'NEW';

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  filledQty: Opt<string> = '0';

  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  avgFillPrice?: string;

  @Field({ nullable: true, description: 'Why the broker refused or cancelled the leg, or why it was not sent' })
  @Property({ type: 'text', nullable: true })
  lastError?: string;
}
