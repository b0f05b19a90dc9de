import { Entity, Enum, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity, money } from '../../shared/base.entity';
import { TradingMode } from '../../shared/enums';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { Strategy } from '../strategies/strategy.entity';
import type { OpenTrip } from './round-trip-ledger';

// Our per-strategy ledger (average-cost method), built from fills; compared with the broker's view in reconciliation.
@ObjectType()
@Entity({ tableName: 'positions' })
@Unique({ properties: ['strategy', 'symbol', 'mode'] })
export class Position extends BaseEntity<'strategyId'> {
  @ManyToOne(() => Strategy, { deleteRule: 'cascade' })
  strategy!: Strategy;

  @Field(() => ID)
  get strategyId(): string {
    return this.strategy.id;
  }

  @Field()
  @Property({ length: 64 })
  symbol!: string;

  @Field(() => TradingMode)
  @Enum({ items: () => TradingMode })
  mode!: TradingMode;

  @Field(() => DecimalScalar, { description: 'Signed: negative is short' })
  @Property(money({ default: '0' }))
  qty: Opt<string> = '0';

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  avgPrice: Opt<string> = '0';

  @Field(() => DecimalScalar, { description: 'Net of charges (INR)' })
  @Property(money({ default: '0' }))
  realizedPnl: Opt<string> = '0';

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  unrealizedPnl: Opt<string> = '0';

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  charges: Opt<string> = '0';

  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  lastPrice?: string;

  // The round trip the position is in (null when flat); see round-trip-ledger.ts
  @Property({ type: 'json', nullable: true })
  openTrip?: OpenTrip;

  // Bumped by every write: the fill path keeps recent positions in memory and writes one only if it is unchanged
  @Property({ default: 0 })
  revision: Opt<number> = 0;
}
