import { Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { BrokerAccount } from './broker-account.entity';

@ObjectType({ description: 'Who the broker says the account is' })
export class BrokerProfileInfo {
  @Field({ nullable: true, description: 'Client id at the broker, all but the last 4 characters masked' })
  clientIdMasked?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true, description: 'When the broker stops accepting the access token' }) tokenExpiresAt?: Date;
  @Field(() => [String], { description: 'Exchange segments the account may trade' }) segments!: string[];
}

@ObjectType({ description: 'Money at the broker, INR' })
export class BrokerFundsInfo {
  @Field(() => DecimalScalar) available!: string;
  @Field(() => DecimalScalar) used!: string;
  @Field(() => DecimalScalar) total!: string;
}

@ObjectType({ description: 'A delivery holding at the broker' })
export class BrokerHoldingInfo {
  @Field() symbol!: string;
  @Field({ nullable: true }) securityId?: string;
  @Field() exchangeSegment!: string;
  @Field(() => DecimalScalar) quantity!: string;
  @Field(() => DecimalScalar) averagePrice!: string;
  @Field(() => DecimalScalar, { nullable: true }) lastPrice?: string;
}

@ObjectType({
  description: "A position at the broker (all of the account's positions, including ones AlgoDatta did not open)",
})
export class BrokerPositionInfo {
  @Field() symbol!: string;
  @Field({ nullable: true }) securityId?: string;
  @Field() exchangeSegment!: string;
  @Field() product!: string;
  @Field(() => DecimalScalar, { description: 'Signed: negative is short' }) netQuantity!: string;
  @Field(() => DecimalScalar) averagePrice!: string;
  @Field(() => DecimalScalar) realizedPnl!: string;
  @Field(() => DecimalScalar, { nullable: true }) unrealizedPnl?: string;
  @Field(() => DecimalScalar, { nullable: true }) lastPrice?: string;
}

@ObjectType({ description: 'A part of the account that could not be read, and why' })
export class BrokerReadProblem {
  @Field({ description: 'account | profile | funds | holdings | positions' }) part!: string;
  @Field({
    description: 'NOT_CONNECTED, NOT_SUPPORTED, or the broker error code (TOKEN_EXPIRED, RATE_LIMITED, TIMEOUT, ...)',
  })
  code!: string;
  @Field() message!: string;
}

@ObjectType({
  description: 'Your account at a broker as the broker reports it now; parts that fail are listed in problems',
})
export class BrokerAccountDetails {
  @Field(() => BrokerAccount) account!: BrokerAccount;
  @Field(() => BrokerProfileInfo, { nullable: true }) profile?: BrokerProfileInfo;
  @Field(() => BrokerFundsInfo, { nullable: true }) funds?: BrokerFundsInfo;
  @Field(() => [BrokerHoldingInfo], { nullable: true }) holdings?: BrokerHoldingInfo[];
  @Field(() => [BrokerPositionInfo], { nullable: true }) positions?: BrokerPositionInfo[];
  @Field(() => [BrokerReadProblem]) problems!: BrokerReadProblem[];
}
