import { Extensions, Field, ID, Int, ObjectType } from 'type-graphql';
import { TradingMode } from '../../shared/enums';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { PageInfo } from '../executions/execution.types';

@ObjectType('RoundTrip', {
  description:
    'One closed round trip (see Report): a position from flat, or from a reversal, back to flat or through it',
})
export class RoundTripView {
  @Field(() => ID) id!: string;
  @Field(() => ID) strategyId!: string;
  @Field() symbol!: string;
  @Field(() => TradingMode) mode!: TradingMode;
  @Field({ description: 'LONG or SHORT' }) side!: string;
  @Field(() => DecimalScalar, {
    description: 'Quantity bought (LONG) or sold (SHORT) to build the position, adds included',
  })
  qty!: string;
  @Field(() => DecimalScalar, { description: 'Average entry price' }) entryPrice!: string;
  @Field(() => DecimalScalar, { description: 'Average exit price' }) exitPrice!: string;
  @Field(() => DecimalScalar, { description: 'Largest absolute position during the trip' }) maxQty!: string;
  @Field(() => DecimalScalar, { description: 'P&L before charges (INR)' }) grossPnl!: string;
  @Field(() => DecimalScalar, { description: "Charges of the trip's fills (INR)" }) charges!: string;
  @Field(() => DecimalScalar, { description: 'grossPnl - charges (INR)' }) netPnl!: string;
  @Field(() => Int, { description: 'Fills of the trip' }) fills!: number;
  @Field(() => Date) openedAt!: Date;
  @Field(() => Date, { description: "The closing fill's time; the trip counts on this IST day" }) closedAt!: Date;
}

@ObjectType()
export class RoundTripEdge {
  @Field() cursor!: string;
  @Field(() => RoundTripView) node!: RoundTripView;
}

@ObjectType({ description: "Closed round trips, newest first (the report's totalTrades counts them)" })
export class RoundTripConnection {
  // Priced per edge: the connection's `first` multiplies it (see graphql/limits.ts)
  @Extensions({ cost: { size: 1 } })
  @Field(() => [RoundTripEdge])
  edges!: RoundTripEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
