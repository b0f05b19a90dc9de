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

  @Field(() => DecimalScalar, {
    description: 'At markPrice while the position is open (at the last fill when no newer price is known); 0 when flat',
  })
  @Property(money({ default: '0' }))
  unrealizedPnl: Opt<string> = '0';

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  charges: Opt<string> = '0';

  @Field(() => DecimalScalar, { nullable: true, description: 'Price of the last fill' })
  @Property(money({ nullable: true }))
  lastPrice?: string;

  // The round trip the position is in (null when flat); see round-trip-ledger.ts
  @Property({ type: 'json', nullable: true })
  openTrip?: OpenTrip;

  // Not stored: set when positions are read (PositionService.list)
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Latest known price of the symbol: the newest alert price or fill price seen by any of the owner's strategies on it; null when flat",
  })
  markPrice?: string;

  @Field(() => Date, { nullable: true, description: 'When markPrice was seen' })
  markedAt?: Date;

  // Bumped by every write: the fill path keeps recent positions in memory and writes one only if it is unchanged
  @Property({ default: 0 })
  revision: Opt<number> = 0;
}
