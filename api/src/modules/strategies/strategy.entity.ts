import { QUANTITY_RULE_SUMMARY } from '@algodatta/broker-sdk';
import { ArrayType, Entity, Enum, Index, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, Int } from 'type-graphql';
import { BaseEntity, money } from '../../shared/base.entity';
import { AllowedSides, OppositeSignalPolicy, TradingMode } from '../../shared/enums';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { SizingMode } from '../risk/sizing-mode';
import { User } from '../users/user.entity';
import { ExitSettings } from '../exits/exit-settings.types';
import type { ExitDefaults } from '../exits/exit-spec';

@ObjectType()
@Entity({ tableName: 'strategies' })
// Every alert asks for its strategy's live fan-out targets (StrategyCache.targetsOf): at most MAX_TARGETS (10) rows
// per strategy, since removed targets (deleted_at set) are not in this index
@Index({
  name: 'strategies_live_targets_index',
  expression: `create index "strategies_live_targets_index" on "strategies" ("parent_strategy_id") where "deleted_at" is null`,
})
export class Strategy extends BaseEntity<'userId' | 'parentStrategyId'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  @Index()
  user!: User;

  @Field(() => ID)
  get userId(): string {
    return this.user.id;
  }

  @Field()
  @Property({ length: 120 })
  name!: string;

  @Field({ description: 'TradingView ticker, e.g. RELIANCE or NATURALGAS' })
  @Property({ length: 64 })
  symbol!: string;

  @Field(() => [String], {
    description:
      'Other symbols its alerts may name (a deliberately multi-symbol strategy; each trades as its own position). Empty: alerts for any symbol but `symbol` are refused (422 symbol_mismatch)',
  })
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` })
  allowedSymbols: Opt<string[]> = [];

  @Field(() => String, {
    description: 'Exchange segment: NSE_EQ, NSE_FNO, BSE_EQ, BSE_FNO, MCX_COMM, NSE_CURRENCY, BSE_CURRENCY',
  })
  @Property({ length: 16 })
  exchangeSegment: Opt<string> = 'NSE_EQ';

  @Field(() => String, { description: 'INTRADAY, CNC or MARGIN' })
  @Property({ length: 16 })
  productType: Opt<string> = 'INTRADAY';

  @Field()
  @Property({ length: 16 })
  timeframe!: string;

  @Field(() => DecimalScalar, { description: `Default order quantity. ${QUANTITY_RULE_SUMMARY}` })
  @Property(money())
  qty!: string;

  @Field(() => TradingMode)
  @Enum({ items: () => TradingMode })
  mode: Opt<TradingMode> = TradingMode.PAPER;

  // Set when the strategy is made (StrategyService: the first live plugin configured, unless the input names one)
  @Field(() => String, { description: 'Broker plugin used in LIVE mode (the user must have connected it)' })
  @Property({ length: 32 })
  broker!: string;

  // LIVE: which of the user's accounts at `broker` (issue 18: several per broker); null = the default account
  @Field(() => ID, {
    nullable: true,
    description:
      'LIVE: the broker account (brokerAccounts) this strategy trades on; null = your default (first) account at its broker',
  })
  @Property({ type: 'uuid', nullable: true })
  brokerAccountId?: string | null;

  @Field(() => Boolean)
  @Property()
  enabled: Opt<boolean> = true;

  @Field({ nullable: true, description: 'Why the platform disabled the strategy (e.g. daily loss limit)' })
  @Property({ type: 'text', nullable: true })
  disabledReason?: string;

  // sha256 of the webhook secret; the secret itself is shown once by deployStrategy
  @Unique()
  @Property({ length: 64, nullable: true, hidden: true })
  webhookSecretHash?: string;

  @Field({ nullable: true })
  @Property({ type: 'datetime', nullable: true })
  deployedAt?: Date;

  @Field({ nullable: true, description: 'Broker security id that overrides symbol resolution' })
  @Property({ length: 32, nullable: true })
  instrumentOverride?: string;

  // Risk settings
  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  maxQtyPerOrder?: string;

  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  maxOpenPosition?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'INR; reaching it disables the strategy' })
  @Property(money({ nullable: true }))
  maxDailyLoss?: string;

  @Field({ nullable: true, description: 'IST HH:MM; entries before it are rejected' })
  @Property({ length: 5, nullable: true })
  tradingWindowStart?: string;

  @Field({ nullable: true, description: 'IST HH:MM; entries after it are rejected' })
  @Property({ length: 5, nullable: true })
  tradingWindowEnd?: string;

  @Field(() => AllowedSides)
  @Enum({ items: () => AllowedSides })
  allowedSides: Opt<AllowedSides> = AllowedSides.BOTH;

  @Field(() => OppositeSignalPolicy)
  @Enum({ items: () => OppositeSignalPolicy })
  oppositeSignalPolicy: Opt<OppositeSignalPolicy> = OppositeSignalPolicy.REVERSE;

  @Field(() => Int, { description: 'Alerts accepted per minute before 429' })
  @Property()
  alertsPerMinute: Opt<number> = 60;

  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date;

  @Field(() => Boolean, {
    description:
      "PAPER: an alert outside its segment's session is queued and placed at the next open (otherwise refused as market_closed)",
  })
  @Property({ default: false })
  afterMarketOrders: Opt<boolean> = false;

  // Signal integrity, protections and sizing (api/src/modules/risk/)
  @Field(() => Int, {
    nullable: true,
    description:
      'Alerts whose `time` is older than this many seconds are refused (422 stale_signal); null: never. Alerts without `time` pass',
  })
  @Property({ type: 'integer', nullable: true, default: 60 })
  maxSignalAgeSeconds?: number | null = 60;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes after a losing round trip during which entries are refused (422 cooldown); null: off',
  })
  @Property({ type: 'integer', nullable: true })
  cooldownMinutes?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Entries allowed per IST day, counted as the round trips opened that day (422 max_trades_per_day); null: no limit',
  })
  @Property({ type: 'integer', nullable: true })
  maxTradesPerDay?: number | null;

  @Field(() => Boolean, {
    description:
      "When prev_market_position says TradingView's position before the order differed from ours (a missed or out-of-order alert), trade to TradingView's position (market_position x position_size) instead of netting the alert into ours. The mismatch is flagged and notified either way",
  })
  @Property({ default: false })
  syncToTradingView: Opt<boolean> = false;

  @Field(() => SizingMode)
  @Enum({ items: () => SizingMode, default: SizingMode.ALERT })
  sizingMode: Opt<SizingMode> = SizingMode.ALERT;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'PERCENT_OF_CAPITAL: the percent; RISK_PER_TRADE: the INR risked per trade; MULTIPLIER: the factor',
  })
  @Property(money({ nullable: true }))
  sizingValue?: string | null;

  // Semi-automatic mode (executions/approval/)
  @Field(() => Boolean, {
    description:
      'Accepted alerts wait as AWAITING_APPROVAL until the owner approves (re-checked: kill switch, strategy enabled, entry rules, signal age) or rejects them',
  })
  @Property({ default: false })
  requireApproval: Opt<boolean> = false;

  @Field(() => Int, {
    description: 'Minutes an execution may await approval before it is rejected as approval_expired',
  })
  @Property({ default: 5 })
  approvalTimeoutMinutes: Opt<number> = 5;

  @Field(() => ExitSettings, {
    nullable: true,
    description:
      "Exits every entry gets (issue 18), each overridable by the alert's stop_loss, take_profit, trailing_stop, breakeven_at, exit_after; null: none",
  })
  @Property({ type: 'json', nullable: true })
  exitDefaults?: ExitDefaults | null;

  // One strategy, many accounts (strategies/strategy-targets.service.ts): a fan-out target is a strategy of its own
  // (its own position, P&L, limits and idempotency) that follows its parent's settings and trades every alert
  // sent to the parent, on another account. Null for a strategy of its own.
  @ManyToOne(() => Strategy, { nullable: true, deleteRule: 'cascade' })
  parentStrategy?: Strategy;

  @Field(() => ID, {
    nullable: true,
    description: "The strategy this one is a fan-out target of (it trades that strategy's alerts); null otherwise",
  })
  get parentStrategyId(): string | null {
    return this.parentStrategy?.id ?? null;
  }

  // A target's quantity factor: the parent's quantity x this, rounded down to whole lots or shares; 0 skips it
  @Property(money({ nullable: true }))
  fanOutMultiplier?: string;
}
