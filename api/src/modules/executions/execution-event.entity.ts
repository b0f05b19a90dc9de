import { Entity, Enum, Index, ManyToOne, Property, type Rel, Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { ExecutionEventType } from '../../shared/enums';
import { Execution } from './execution.entity';

// Append-only history of an execution; every row is also published on the executionEvents subscription.
@Entity({ tableName: 'execution_events' })
@Index({ properties: ['execution', 'at'] })
export class ExecutionEvent extends BaseEntity {
  @ManyToOne(() => Execution, { deleteRule: 'cascade' })
  execution!: Rel<Execution>;

  @Property({ type: 'uuid' })
  alertId!: string;

  @Property({ type: 'uuid' })
  strategyId!: string;

  @Enum({ items: () => ExecutionEventType })
  type!: ExecutionEventType;

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  @Property({ type: 'uuid' })
  correlationId!: string;

  @Property({ type: 'json', nullable: true })
  payload?: unknown;
}
