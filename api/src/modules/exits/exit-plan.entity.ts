import { Entity, Index, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { BaseEntity, money } from '../../shared/base.entity';
import { Strategy } from '../strategies/strategy.entity';

// The exits protecting one position after its entry filled (issue 18): levels computed from the fill price, moved
// by the trail and breakeven, ended by one exit (OCO) or by the position closing another way. The core manages it
// for every broker; a restart reads the ACTIVE rows back, so nothing is kept only in memory.
// Written only by exit-plans.sql.ts.
@Entity({ tableName: 'exit_plans' })
// Only open plans (a few per position, however many ended before them): what every price and fill looks up
@Index({
  name: 'exit_plans_open_index',
  expression: `create index "exit_plans_open_index" on "exit_plans" ("strategy_id", "symbol") where "status" in ('ACTIVE', 'TRIGGERED')`,
})
export class ExitPlan extends BaseEntity {
  @ManyToOne(() => Strategy, { deleteRule: 'cascade' })
  strategy!: Strategy;

  @Property({ type: 'uuid' })
  userId!: string;

  // One plan per entry: a fill event heard twice (or by two processes) makes one plan
  @Unique()
  @Property({ type: 'uuid' })
  entryExecutionId!: string;

  @Property({ type: 'uuid' })
  alertId!: string;

  @Property({ type: 'uuid' })
  correlationId!: string;

  // The symbol as alerts name it (normalized ticker): the key prices arrive under
  @Property({ length: 64 })
  ticker!: string;

  // The position's symbol (positions.symbol)
  @Property({ length: 64 })
  symbol!: string;

  @Property({ length: 8 })
  mode!: string;

  @Property({ length: 8 })
  side!: string;

  @Property(money())
  entryPrice!: string;

  @Property(money({ nullable: true }))
  stopPrice?: string | null;

  @Property({ length: 16, nullable: true })
  stopOrigin?: string | null;

  @Property(money({ nullable: true }))
  takeProfitPrice?: string | null;

  @Property({ type: 'json', nullable: true })
  trail?: unknown;

  @Property(money())
  bestPrice!: string;

  @Property(money({ nullable: true }))
  breakevenPrice?: string | null;

  @Property({ default: false })
  breakevenDone: Opt<boolean> = false;

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  // The spec as resolved when the entry was accepted (strategy defaults and the alert's fields)
  @Property({ type: 'json' })
  spec!: unknown;

  // ACTIVE, TRIGGERED (its exit was sent; back to ACTIVE if the exit is refused) or ENDED (the position closed or turned another way)
  @Property({ length: 16, default: 'ACTIVE' })
  status: Opt<string> = 'ACTIVE';

  // Bumped by every change, so two processes judging the same price cannot both move or trigger it
  @Property({ type: 'integer', default: 0 })
  revision: Opt<number> = 0;

  // Exits claimed so far: attempt n is sent with the idempotency key exit:<id> (n = 1) or exit:<id>:<n>, so a retry
  // after a refusal is a new alert while a resend of one attempt stays one
  @Property({ type: 'integer', default: 0 })
  exitAttempts: Opt<number> = 0;

  // A re-armed plan (its exit was refused) does not trigger again before this time: the backoff between attempts
  @Property({ type: 'datetime', nullable: true })
  retryAfter?: Date | null;

  @Property({ length: 16, nullable: true })
  exitReason?: string | null;

  @Property(money({ nullable: true }))
  exitPrice?: string | null;

  @Property({ type: 'uuid', nullable: true })
  exitExecutionId?: string | null;

  @Property({ type: 'text', nullable: true })
  endReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;
}
