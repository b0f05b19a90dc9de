import { IsOptional } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { TradingMode } from '../../shared/enums';
import { IsPositiveDecimal } from '../../shared/validators';

@ObjectType({
  description:
    "One more account a strategy's alerts are traded on (one strategy, many accounts): each alert makes one execution per account, each with its own position, P&L and limits",
})
export class StrategyTarget {
  @Field(() => ID, { description: "The target's own strategy id (its positions, executions and reports use it)" })
  id!: string;

  @Field(() => ID)
  strategyId!: string;

  @Field()
  name!: string;

  @Field(() => TradingMode, {
    description: "PAPER: a shadow on the target's own paper account; LIVE: a broker account",
  })
  mode!: TradingMode;

  @Field()
  broker!: string;

  @Field(() => ID, { nullable: true, description: 'The broker account (LIVE); null for paper' })
  brokerAccountId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The broker account's status now (CONNECTED, ...); null for paper",
  })
  accountStatus?: string | null;

  @Field(() => DecimalScalar, {
    description:
      'Quantity factor: the alert (or strategy) quantity x this, rounded down to whole lots or shares; 0 skips',
  })
  multiplier!: string;

  @Field(() => DecimalScalar, { nullable: true })
  maxQtyPerOrder?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxOpenPosition?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'INR; reaching it disables this target only' })
  maxDailyLoss?: string | null;

  @Field()
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  disabledReason?: string | null;
}

// The settings a target has of its own; everything else follows its strategy
@InputType()
export class StrategyTargetSettings {
  @Field(() => DecimalScalar, { nullable: true, description: 'Default 1; 0 pauses the target (no execution)' })
  @IsOptional()
  multiplier?: string;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @IsPositiveDecimal()
  maxQtyPerOrder?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @IsPositiveDecimal()
  maxOpenPosition?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'INR' })
  @IsOptional()
  @IsPositiveDecimal()
  maxDailyLoss?: string | null;
}

@InputType()
export class StrategyTargetInput extends StrategyTargetSettings {
  @Field(() => ID, {
    nullable: true,
    description: 'One of your connected broker accounts (brokerAccounts); omit for a paper shadow',
  })
  @IsOptional()
  brokerAccountId?: string;
}

@InputType()
export class StrategyTargetPatch extends StrategyTargetSettings {
  @Field(() => ID, {
    nullable: true,
    description: 'Move a LIVE target to another of your broker accounts (only while it is flat with nothing working)',
  })
  @IsOptional()
  brokerAccountId?: string;

  @Field({ nullable: true })
  @IsOptional()
  enabled?: boolean;
}
