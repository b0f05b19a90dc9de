import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity, money } from '../../shared/base.entity';

// Every broker's instrument master, one row per (broker, segment, security id): what a plugin's download gives
// (has.instrumentMaster), refreshed on its schedule. Resolution asks the plugin, which reads rows back through
// instrument-rows.sql.ts; `raw` is the plugin's own row, never read here. instrumentType is the SDK's.
@Entity({ tableName: 'instruments' })
@Unique({ properties: ['broker', 'exchangeSegment', 'securityId'] })
@Index({ properties: ['broker', 'tradingSymbol'] })
@Index({ properties: ['broker', 'underlying'] })
export class Instrument extends BaseEntity {
  @Property({ length: 32 })
  broker!: string;

  @Property({ length: 32 })
  securityId!: string;

  @Property({ length: 16 })
  exchangeSegment!: string;

  @Property({ length: 8 })
  exchange!: string;

  @Property({ length: 96 })
  tradingSymbol!: string;

  @Property({ length: 96, nullable: true })
  underlying?: string;

  @Property({ length: 16 })
  instrumentType!: string;

  @Property({ length: 8, nullable: true })
  series?: string;

  @Property(money())
  lotSize!: string;

  @Property(money())
  tickSize!: string;

  @Property({ type: 'datetime', nullable: true })
  expiry?: Date;

  @Property(money({ nullable: true }))
  strikePrice?: string;

  @Property({ length: 4, nullable: true })
  optionType?: string;

  @Property({ type: 'json', nullable: true })
  raw?: Record<string, unknown>;
}
