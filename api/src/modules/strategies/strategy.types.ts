import { QUANTITY_RULE_SUMMARY } from '@algodatta/broker-sdk';
import { ArrayMaxSize, IsIn, IsOptional, Matches, Max, MaxLength, MinLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { AllowedSides, OppositeSignalPolicy, TradingMode } from '../../shared/enums';
import { IsPositiveDecimal } from '../../shared/validators';
import { SizingMode } from '../risk/sizing-mode';
import { ExitSettingsInput } from '../exits/exit-settings.types';
import { TIMEFRAME } from './strategy-timeframe';

// qty carries no decorator: its rule depends on the segment the strategy ends up in (StrategyService checks it)
const QTY_DESCRIPTION = `Default order quantity. ${QUANTITY_RULE_SUMMARY}`;

export const EXCHANGE_SEGMENTS = [
  'NSE_EQ',
  'NSE_FNO',
  'BSE_EQ',
  'BSE_FNO',
  'MCX_COMM',
  'NSE_CURRENCY',
  'BSE_CURRENCY',
] as const;
export const PRODUCT_TYPES = ['INTRADAY', 'CNC', 'MARGIN'] as const;
const SYMBOL = /^[A-Za-z0-9&_.:-]{1,64}$/;
// As TradingView's {{ticker}} may spell it, continuous contracts included (NATURALGAS1!)
const TICKER = /^[A-Za-z0-9&_.:!-]{1,64}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// Fields shared by create and patch; every one optional here, required ones re-declared in StrategyInput.
@InputType() // base of the two inputs; not referenced, so not emitted
abstract class StrategySettings {
  @Field({ nullable: true })
  @IsOptional()
  @IsIn(EXCHANGE_SEGMENTS as unknown as string[], {
    message: `exchangeSegment must be one of ${EXCHANGE_SEGMENTS.join(', ')}`,
  })
  exchangeSegment?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsIn(PRODUCT_TYPES as unknown as string[], { message: `productType must be one of ${PRODUCT_TYPES.join(', ')}` })
  productType?: string;

  @Field({
    nullable: true,
    description:
      'Broker plugin for LIVE mode (default: the broker of brokerAccountId, else the first live broker plugin configured; the `brokers` query lists them)',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, {
    message: 'broker must be the name of a broker plugin (lowercase letters, digits, dashes)',
  })
  broker?: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'LIVE: one of your accounts (brokerAccounts) when you have several at the broker, which is then its broker; null = your default account',
  })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'brokerAccountId must be a broker account id' })
  brokerAccountId?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\d{1,32}$/, { message: 'instrumentOverride must be a broker security id (digits)' })
  instrumentOverride?: string;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @IsPositiveDecimal()
  maxQtyPerOrder?: string;

  @Field(() => DecimalScalar, { nullable: true })
  @IsOptional()
  @IsPositiveDecimal()
  maxOpenPosition?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'INR' })
  @IsOptional()
  @IsPositiveDecimal()
  maxDailyLoss?: string;

  @Field({ nullable: true, description: 'IST HH:MM' })
  @IsOptional()
  @Matches(HHMM, { message: 'tradingWindowStart must be HH:MM (IST)' })
  tradingWindowStart?: string;

  @Field({ nullable: true, description: 'IST HH:MM' })
  @IsOptional()
  @Matches(HHMM, { message: 'tradingWindowEnd must be HH:MM (IST)' })
  tradingWindowEnd?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Other symbols alerts may name, for a deliberately multi-symbol strategy (each trades as its own position); [] makes it single-symbol again',
  })
  @IsOptional()
  @ArrayMaxSize(50, { message: 'allowedSymbols holds at most 50 symbols' })
  @Matches(TICKER, { each: true, message: 'allowedSymbols must hold tickers such as INFY, NSE:INFY or NATURALGAS1!' })
  allowedSymbols?: string[];

  @Field(() => AllowedSides, { nullable: true })
  @IsOptional()
  allowedSides?: AllowedSides;

  @Field(() => OppositeSignalPolicy, { nullable: true })
  @IsOptional()
  oppositeSignalPolicy?: OppositeSignalPolicy;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: 'alertsPerMinute must be at least 1' })
  alertsPerMinute?: number;

  @Field({
    nullable: true,
    description: 'PAPER: queue alerts that arrive outside the session and place them at the next open',
  })
  @IsOptional()
  afterMarketOrders?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Alerts whose `time` is older are refused (422 stale_signal); null: never (default 60)',
  })
  @IsOptional()
  @Min(1, { message: 'maxSignalAgeSeconds must be at least 1 second' })
  maxSignalAgeSeconds?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes without entries after a losing round trip (422 cooldown); null: off',
  })
  @IsOptional()
  @Min(1, { message: 'cooldownMinutes must be at least 1' })
  cooldownMinutes?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Round trips that may open per IST day (422 max_trades_per_day); null: no limit',
  })
  @IsOptional()
  @Min(1, { message: 'maxTradesPerDay must be at least 1' })
  maxTradesPerDay?: number;

  @Field({
    nullable: true,
    description: "On a position mismatch (prev_market_position), trade to TradingView's position",
  })
  @IsOptional()
  syncToTradingView?: boolean;

  @Field(() => SizingMode, { nullable: true })
  @IsOptional()
  sizingMode?: SizingMode;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'The percent, the INR risk or the multiplier of sizingMode',
  })
  @IsOptional()
  @IsPositiveDecimal()
  sizingValue?: string;

  @Field({ nullable: true, description: 'Accepted alerts wait for approveExecution / rejectExecution' })
  @IsOptional()
  requireApproval?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes before an unanswered approval is rejected (approval_expired); default 5',
  })
  @IsOptional()
  @Min(1, { message: 'approvalTimeoutMinutes must be at least 1' })
  @Max(1440, { message: 'approvalTimeoutMinutes must be at most 1440 (a day)' })
  approvalTimeoutMinutes?: number;

  @Field(() => ExitSettingsInput, {
    nullable: true,
    description: "Default exits of every entry (null: none); the alert's own exit fields override them",
  })
  @IsOptional()
  exitDefaults?: ExitSettingsInput;
}

@InputType()
export class StrategyInput extends StrategySettings {
  @Field()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(120)
  name!: string;

  @Field({
    description:
      'TradingView ticker, e.g. RELIANCE, NATURALGAS, NIFTY-Jun2026-FUT. Alerts naming another symbol are refused (422 symbol_mismatch) unless it is in allowedSymbols; exchange prefixes (NSE:) and continuous-contract suffixes (1!) still match',
  })
  @Matches(SYMBOL, { message: 'symbol must be 1-64 letters, digits or & _ . : -' })
  symbol!: string;

  @Field()
  @Matches(TIMEFRAME, { message: 'timeframe must be a TradingView interval such as 1, 5, 15m, 1h, 1D' })
  timeframe!: string;

  @Field(() => DecimalScalar, { description: QTY_DESCRIPTION })
  qty!: string;

  @Field(() => TradingMode)
  mode!: TradingMode;
}

@InputType()
export class StrategyPatch extends StrategySettings {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name cannot be empty' })
  @MaxLength(120)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(SYMBOL, { message: 'symbol must be 1-64 letters, digits or & _ . : -' })
  symbol?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(TIMEFRAME, { message: 'timeframe must be a TradingView interval such as 1, 5, 15m, 1h, 1D' })
  timeframe?: string;

  @Field(() => DecimalScalar, { nullable: true, description: QTY_DESCRIPTION })
  @IsOptional()
  qty?: string;

  @Field(() => TradingMode, { nullable: true })
  @IsOptional()
  mode?: TradingMode;
}
