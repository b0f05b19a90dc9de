import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity, money } from '../../shared/base.entity';
import { TradingMode } from '../../shared/enums';
import { Position } from './position.entity';

// A closed round trip (see round-trip-ledger.ts), written by the fill that closed it, in the same statement as
// that fill: reports read these rows instead of replaying every fill. User, strategy, symbol and mode are copied
// from the position so a report filters and orders them through one index; the indexes hold net_pnl and the
// filter columns so the report's walk of the trips in closing order never reads the table (an index-only scan
// halved that walk over 500,000 trips).
@Entity({ tableName: 'round_trips' })
@Index({
  name: 'round_trips_user_index',
  expression:
    'create index "round_trips_user_index" on "round_trips" ("user_id", "closed_at", "id") include ("net_pnl", "strategy_id", "symbol", "mode")',
})
@Index({
  name: 'round_trips_strategy_index',
  expression:
    'create index "round_trips_strategy_index" on "round_trips" ("strategy_id", "closed_at", "id") include ("net_pnl", "symbol", "mode")',
})
@Index({
  name: 'round_trips_closed_index',
  expression:
    'create index "round_trips_closed_index" on "round_trips" ("closed_at", "id") include ("net_pnl", "user_id", "strategy_id", "symbol", "mode")',
})
export class RoundTrip extends BaseEntity {
  @ManyToOne(() => Position, { deleteRule: 'cascade' })
  position!: Rel<Position>;

  @Property({ type: 'uuid' })
  strategyId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ length: 64 })
  symbol!: string;

  @Enum({ items: () => TradingMode })
  mode!: TradingMode;

  @Property({ length: 5 })
  side!: 'LONG' | 'SHORT';

  // Quantity bought (LONG) or sold (SHORT) to build the position, adds included
  @Property(money())
  qty!: string;

  @Property(money())
  entryPrice!: string;

  @Property(money())
  exitPrice!: string;

  @Property(money())
  maxQty!: string;

  // Value traded in and out (sum of quantity x price of every fill of the trip)
  @Property(money())
  turnover!: string;

  @Property(money())
  grossPnl!: string;

  @Property(money())
  charges!: string;

  @Property(money())
  netPnl!: string;

  @Property({ type: 'datetime' })
  openedAt!: Date;

  @Property({ type: 'datetime' })
  closedAt!: Date;

  // The IST day the trip counts on, kept by PostgreSQL: a report groups half a million trips by it without
  // converting each time, and the planner knows how many days there are
  @Property({ type: 'date', generated: `((closed_at at time zone 'Asia/Kolkata')::date) stored`, nullable: true })
  closedDay?: string;

  @Property()
  fills!: number;

  // The fill that closed the trip: one trip per closing fill, however often that fill is delivered
  @Unique()
  @Property({ type: 'uuid' })
  closingFillId!: string;
}
