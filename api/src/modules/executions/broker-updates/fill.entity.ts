import { Entity, ManyToOne, Property, Unique, type Rel, Opt } from '@mikro-orm/core';
import { BaseEntity, money } from '../../../shared/base.entity';
import { Execution } from '../execution.entity';

// A broker trade; (execution, tradeId) is unique so a fill delivered twice (postback + poll) is stored once.
@Entity({ tableName: 'fills' })
@Unique({ properties: ['execution', 'tradeId'] })
export class Fill extends BaseEntity {
  @ManyToOne(() => Execution, { deleteRule: 'cascade' })
  execution!: Rel<Execution>;

  @Property({ length: 64 })
  tradeId!: string;

  @Property(money())
  qty!: string;

  @Property(money())
  price!: string;

  @Property(money({ default: '0' }))
  totalCharges: Opt<string> = '0';

  // Line items: brokerage, stt, exchange, sebi, stampDuty, gst
  @Property({ type: 'json', nullable: true })
  chargeBreakdown?: Record<string, string>;

  @Property({ type: 'datetime' })
  filledAt!: Date;

  @Property({ type: 'json', nullable: true })
  raw?: unknown;
}
