import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity, money } from '../../shared/base.entity';
import { ExecutionStatus, OrderSide, OrderType, TradingMode } from '../../shared/enums';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { JSONScalar } from '../../graphql/scalars/json.scalar';
import { Alert } from '../alerts/alert.entity';
import { Strategy } from '../strategies/strategy.entity';
import { User } from '../users/user.entity';
import { ExecutionEvent } from './execution-event.entity';

// One order intent per accepted alert; the unique alert and clientOrderId make a second order impossible.
@ObjectType()
@Entity({ tableName: 'executions' })
@Index({ properties: ['user', 'createdAt'] })
@Index({ properties: ['strategy', 'createdAt'] })
// Only open executions: a LIVE plan's working orders (by strategy and symbol), the recovery sweep and the order
// poll read only those. Keyed so that every one of them finds its rows here whatever the table's statistics: a
// plain index on status let a generic plan made while the table was small claim an execution by scanning every
// PENDING one instead of by its id (1-1.6 ms per claim behind a burst of 45,000 alerts instead of 0.07 ms), and a
// LIVE plan read every execution of its strategy.
@Index({
  name: 'executions_open_index',
  expression: `create index "executions_open_index" on "executions" ("strategy_id", "symbol", "created_at") where "status" in ('PENDING', 'PLACED', 'PARTIALLY_FILLED')`,
})
export class Execution extends BaseEntity<'strategyId' | 'alertId'> {
  @ManyToOne(() => Strategy, { deleteRule: 'cascade' })
  strategy!: Strategy;

  @Field(() => ID)
  get strategyId(): string {
    return this.strategy.id;
  }

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Unique()
  @ManyToOne(() => Alert, { deleteRule: 'cascade' })
  alert!: Alert;

  @Field(() => ID)
  get alertId(): string {
    return this.alert.id;
  }

  @Field()
  @Property({ type: 'uuid' })
  correlationId!: string;

  @Field({ description: 'Our id sent to the broker (its client order id); the idempotency key of the order' })
  @Unique()
  @Property({ length: 64 })
  clientOrderId!: string;

  @Field()
  @Property({ length: 64 })
  symbol!: string;

  @Field()
  @Property({ length: 16 })
  exchangeSegment!: string;

  @Field({ nullable: true })
  @Property({ length: 32, nullable: true })
  securityId?: string;

  @Field(() => OrderSide)
  @Enum({ items: () => OrderSide })
  side!: OrderSide;

  @Field(() => OrderType)
  @Enum({ items: () => OrderType })
  orderType: Opt<OrderType> = OrderType.MARKET;

  @Field()
  @Property({ length: 16 })
  productType!: string;

  @Field(() => DecimalScalar)
  @Property(money())
  qty!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Limit price, or the reference price of a market order' })
  @Property(money({ nullable: true }))
  price?: string;

  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  triggerPrice?: string;

  @Field(() => TradingMode)
  @Enum({ items: () => TradingMode })
  mode!: TradingMode;

  @Field()
  @Property({ length: 32 })
  broker!: string;

  // The account the order was (or will be) placed with: every later action (retry, poll, cancel) goes there,
  // whatever the strategy says now. Paper: the strategy's paper account; LIVE: the broker account's id.
  @Field({ nullable: true, description: "Broker account the order goes to (paper: the strategy's paper account)" })
  @Property({ length: 64, nullable: true })
  brokerAccountId?: string;

  @Field(() => ExecutionStatus)
  @Enum({ items: () => ExecutionStatus })
  status: Opt<ExecutionStatus> = ExecutionStatus.PENDING;

  @Field({ nullable: true })
  @Property({ length: 64, nullable: true })
  brokerOrderId?: string;

  @Field({
    nullable: true,
    description: 'The exchange algo id the broker stamped on the order (SEBI retail-algo rule), or null',
  })
  @Property({ length: 32, nullable: true })
  algoId?: string;

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  filledQty: Opt<string> = '0';

  @Field(() => DecimalScalar, { nullable: true })
  @Property(money({ nullable: true }))
  avgFillPrice?: string;

  @Field(() => DecimalScalar)
  @Property(money({ default: '0' }))
  charges: Opt<string> = '0';

  @Field(() => DecimalScalar, { nullable: true, description: 'Realized P&L of this execution, net of charges (INR)' })
  @Property(money({ nullable: true }))
  pnl?: string;

  @Field({
    nullable: true,
    description:
      "Why the order was refused. At the webhook (422): strategy_disabled, kill_switch, outside_trading_window, risk_limit, side_not_allowed, broker_not_connected, unknown_symbol, symbol_mismatch (the alert names a symbol the strategy does not trade), market_closed (paper outside the exchange session), account_disabled (the user is disabled), stale_signal (the alert's time is older than maxSignalAgeSeconds), cooldown (an entry within cooldownMinutes of a losing round trip), max_trades_per_day (maxTradesPerDay round trips already opened this IST day), sizing_unavailable (the sizing mode lacks an input: price, stop_loss, funds), size_too_small (the sized quantity rounds down to less than one lot or share), broker_not_ready (the broker account of a LIVE strategy failed a pre-open readiness check: token, static_ip, instruments or trading_day). When planned: no_position, at_target (already where TradingView's market_position puts it), side_not_allowed, risk_limit. Approval queue: approval_rejected (its owner said no), approval_expired (unanswered for approvalTimeoutMinutes), or a door rule refused again at approval. By the broker: its error code in snake case; retries_exhausted for a dead letter",
  })
  @Property({ length: 64, nullable: true })
  rejectReason?: string;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field(() => Int)
  @Property()
  attempts: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date;

  // Claimed by one worker until this time; a crash lets the recovery sweep take it over afterwards
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date;

  @Field(() => String, {
    description:
      "alert (TradingView), test_alert (the dashboard's test button), close (a trader closing a position from the dashboard) or square_off (the intraday square-off)",
  })
  @Property({ length: 16, default: 'alert' })
  source: Opt<string> = 'alert';

  // Instrument details the order was sized with
  @Property({ ...money(), nullable: true })
  lotSize?: string;

  @Property({ ...money(), nullable: true })
  tickSize?: string;

  // The quantity the alert asked for (order units), as accepted: `qty` becomes what an attempt planned (a
  // reversal's, an EXIT's), and a retry must plan from the request again, not from the previous plan
  @Property({ ...money(), nullable: true })
  requestedQty?: string;

  // TradingView's position after the alert's order ({{strategy.market_position}}) and its size in order units
  // (position_size x lot size); the executor plans the order toward it. Null when the alert did not carry them.
  @Property({ length: 8, nullable: true })
  marketPosition?: string;

  @Property({ ...money(), nullable: true })
  marketPositionQty?: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'How the order was decided: rule (market_position | exit | reverse | reduce_only | signal), the position before and after (signed, order units), side and qty; TradingView marketPosition and positionSize when the alert carried them',
  })
  @Property({ type: 'json', nullable: true })
  plan?: unknown;

  // Sizing and the position check of issue 18: see api/src/modules/risk/ (sizing.ts, position-check.ts)
  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'How the quantity was sized: mode, inputs (capital, price, stop, risk, multiplier, lot size), the quantity before the caps and the result',
  })
  @Property({ type: 'json', nullable: true })
  sizing?: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      "TradingView's prev_market_position (and size) compared with our position before the order: mismatch true when they differ (a missed or out-of-order alert), and what was done",
  })
  @Property({ type: 'json', nullable: true })
  positionCheck?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  @Property({ type: 'json', nullable: true })
  brokerRequest?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  @Property({ type: 'json', nullable: true })
  brokerResponse?: unknown;

  @OneToMany(() => ExecutionEvent, (e) => e.execution)
  eventRows = new Collection<ExecutionEvent>(this);
}
