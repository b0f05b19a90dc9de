import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { TradingMode } from '../../shared/enums';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const ROUND_TRIP_DEFINITION =
  'A round trip is one life of a position of a strategy in one symbol and mode, built from its fills in the order the ' +
  'ledger applied them: it opens with the fill that takes the position away from zero and closes with the fill that ' +
  'brings it back to zero, or through zero (a reversal: the closing part ends this trip and the rest of that fill ' +
  "opens the next, taking its quantity share of the fill's charges). Adds and partial closes in between belong to the " +
  "trip. Its net P&L is the sum of its fills' realized net P&L, the same amounts the executions' pnl adds up (entry " +
  'and exit charges included), so report, executions and CSV agree to the paisa; since a trip ends flat this is also ' +
  'what first-in-first-out matching of its fills gives. A trip counts on the IST day its closing fill was made; open ' +
  'trips are not counted until they close.';

@InputType({ description: 'Which closed round trips a report covers. Dates are IST calendar days, inclusive.' })
export class ReportFilter {
  @Field({ nullable: true, description: 'YYYY-MM-DD, IST, inclusive: trips closed on or after this day' })
  // strict: a date that does not exist (2026-02-30) is refused, not rolled over into March
  @IsOptional()
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @Field({ nullable: true, description: 'YYYY-MM-DD, IST, inclusive: trips closed on or before this day' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;

  @Field(() => ID, { nullable: true }) strategyId?: string;
  @Field(() => ID, {
    nullable: true,
    description:
      'A broker account (brokerAccounts): only the LIVE trades on it, of every strategy and fan-out target. A fan-out target is also a strategyId of its own (Strategy.targets)',
  })
  accountId?: string;
  @Field({ nullable: true }) symbol?: string;
  @Field(() => TradingMode, { nullable: true }) mode?: TradingMode;
}

@ObjectType({ description: 'Net P&L of the round trips closed on one IST day' })
export class DailyPnl {
  @Field({ description: 'YYYY-MM-DD, IST' }) date!: string;
  @Field(() => DecimalScalar, { description: 'Net of charges (INR)' }) pnl!: string;
  @Field(() => Int, { description: 'Round trips closed that day' }) trades!: number;
}

@ObjectType({ description: 'Cumulative net P&L after a closed round trip' })
export class EquityPoint {
  @Field(() => Date, {
    description: 'When the round trip closed (or, on a per-day curve, the last one of that IST day)',
  })
  at!: Date;
  @Field(() => DecimalScalar, { description: 'Cumulative net P&L from the first trip of the report (INR)' })
  equity!: string;
  @Field(() => DecimalScalar, {
    description: 'How far equity is below its highest point so far (starting from 0), a positive amount',
  })
  drawdown!: string;
}

@ObjectType({ description: 'Round trips of one symbol in the report' })
export class SymbolExposure {
  @Field() symbol!: string;
  @Field(() => Int) trades!: number;
  @Field(() => DecimalScalar, { description: 'Net P&L of those trips (INR)' }) netPnl!: string;
  @Field(() => DecimalScalar, {
    description: "Value traded in and out: sum of quantity x price of the trips' fills (INR)",
  })
  turnover!: string;
  @Field(() => DecimalScalar, { description: 'Largest absolute position held during one of those trips' })
  maxQty!: string;
}

@ObjectType({
  description: `How the closed round trips of the caller's strategies did (admins: everyone's). ${ROUND_TRIP_DEFINITION} Money is INR, net of charges unless named gross.`,
})
export class Report {
  @Field(() => Int, { description: 'Closed round trips' }) totalTrades!: number;
  @Field(() => Int, { description: 'Trips with net P&L above zero' }) wins!: number;
  @Field(() => Int, { description: 'Trips with net P&L below zero (a trip at exactly zero is neither)' })
  losses!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'wins / totalTrades, a fraction 0..1 rounded to 4 places; null without trips',
  })
  winRate!: number | null;
  @Field(() => DecimalScalar, { description: "Sum of the trips' net P&L" }) totalPnl!: string;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'totalPnl / totalTrades, rounded to the paisa; null without trips',
  })
  avgPnl!: string | null;
  @Field(() => DecimalScalar, { description: 'totalPnl + charges: P&L before charges' }) grossPnl!: string;
  @Field(() => DecimalScalar, {
    description: "Charges of the trips' fills (brokerage, taxes, exchange and SEBI fees, stamp duty, GST)",
  })
  charges!: string;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Expected net P&L per trip: winRate x avgWin + (1 - winRate) x avgLoss over the unrounded figures, which is totalPnl / totalTrades; null without trips',
  })
  expectancy!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Mean net P&L of the winning trips; null without wins' })
  avgWin!: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Mean net P&L of the losing trips (negative); null without losses',
  })
  avgLoss!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Net P&L of the best winning trip; null without wins' })
  largestWin!: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Net P&L of the worst losing trip (negative); null without losses',
  })
  largestLoss!: string | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Sum of winning trips / |sum of losing trips|, rounded to 4 places; null unless there are both winning and losing trips (no loss: nothing to divide by; all losses: no profit to weigh)',
  })
  profitFactor!: number | null;
  @Field(() => DecimalScalar, {
    description:
      'The largest fall, as a positive amount, of the cumulative net P&L taken after each closed trip in time order, starting from 0 (0 when it never fell)',
  })
  maxDrawdown!: string;
  @Field(() => Int, { description: 'Most losing trips in a row (time order)' }) longestLosingStreak!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Sharpe ratio of the daily series below: mean(daily pnl) / sample standard deviation(daily pnl) x sqrt(252), over absolute INR (no capital base, no risk-free rate), rounded to 4 places; null with fewer than two days or no variation',
  })
  sharpe!: number | null;
  @Field(() => [DailyPnl], {
    description:
      "One entry per IST trading day of the range, oldest first: every Monday to Friday from `from` (default: the first trip's day) to `to` (default and latest: today), zero-P&L days included, plus any other day on which a trip closed",
  })
  daily!: DailyPnl[];
  @Field(() => [EquityPoint], {
    description:
      'Cumulative net P&L after each closed trip, oldest first; above 1,000 trips, one point per IST day: the equity after its last trip, and the drawdown from the highest such day-end equity so far (the deepest fall within a day shows in maxDrawdown)',
  })
  equityCurve!: EquityPoint[];
  @Field(() => [SymbolExposure], { description: 'The trips grouped by symbol, largest turnover first' })
  exposure!: SymbolExposure[];
}
