import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';

@ObjectType({
  description:
    "Today's P&L exit held by the broker: past the profit or the loss it exits every position of those products",
})
export class BrokerPnlExit {
  @Field() broker!: string;
  @Field() active!: boolean;
  @Field(() => DecimalScalar, { nullable: true, description: 'INR' }) profit!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'INR, a positive amount' }) loss!: string | null;
  @Field(() => [String]) products!: string[];
  @Field({ description: 'The broker also activates its kill switch after the exit' }) killSwitch!: boolean;
}

@InputType()
export class BrokerPnlExitInput {
  @Field() broker!: string;
  @Field(() => DecimalScalar, { nullable: true, description: "Exit once the day's profit reaches this (INR)" })
  profit?: string;
  @Field(() => DecimalScalar, { nullable: true, description: "Exit once the day's loss reaches this (INR, positive)" })
  loss?: string;
  @Field(() => [String], { description: 'INTRADAY, CNC, MARGIN or MTF (what the broker accepts)' }) products!: string[];
  @Field({ defaultValue: false }) killSwitch!: boolean;
  @Field(() => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
  accountId?: string;
}

@ObjectType({ description: 'The platform kill switch mirrored at one broker account that opted in' })
export class BrokerKillSwitchResult {
  @Field() broker!: string;
  @Field() accountId!: string;
  @Field() ok!: boolean;
  @Field() message!: string;
}
