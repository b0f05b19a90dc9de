import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { TradingMode } from '../../shared/enums';

@ObjectType({ description: 'Alerts received in one minute' })
export class MinuteCount {
  @Field({ description: 'Start of the minute' }) at!: Date;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'One trading mode today: PAPER is simulated, LIVE is real money' })
export class ModeToday {
  @Field(() => TradingMode) mode!: TradingMode;
  @Field(() => DecimalScalar, { description: "Sum of the P&L of today's executions (IST day), net of charges, INR" })
  realizedPnl!: string;
  @Field(() => DecimalScalar, { description: "Charges of today's executions, INR" }) charges!: string;
  @Field(() => DecimalScalar, { description: 'Open positions at their latest known price, INR' })
  unrealizedPnl!: string;
  @Field(() => Int) openPositions!: number;
  @Field(() => Int, { description: 'Executions created today' }) executions!: number;
  @Field(() => Int) filled!: number;
  @Field(() => Int, { description: 'REJECTED or FAILED' }) rejected!: number;
  @Field(() => Int, { description: 'PENDING, PLACED or PARTIALLY_FILLED' }) working!: number;
}

@ObjectType({ description: 'Your trading today at a glance (your own strategies, also for admins)' })
export class TodaySummary {
  @Field({ description: 'Today in IST, YYYY-MM-DD' }) date!: string;
  @Field(() => [ModeToday], { description: 'PAPER and LIVE, always both' }) modes!: ModeToday[];
  @Field(() => [MinuteCount], {
    description: 'Alerts per minute over the last 60 minutes, oldest first, every minute present',
  })
  alertsPerMinute!: MinuteCount[];
}

@ObjectType({ description: 'What a strategy did lately' })
export class StrategyActivity {
  @Field(() => ID) strategyId!: string;
  @Field(() => DecimalScalar, { description: "Sum of the P&L of today's executions (IST day), net of charges, INR" })
  todayPnl!: string;
  @Field(() => Int, { description: 'Executions created today (IST)' }) todayExecutions!: number;
  @Field({
    nullable: true,
    description: 'When its last TradingView alert arrived (test alerts and platform exits not counted)',
  })
  lastSignalAt?: Date;
}
