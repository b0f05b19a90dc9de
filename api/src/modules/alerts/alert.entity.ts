import { Entity, Enum, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { AlertStatus } from '../../shared/enums';
import { Strategy } from '../strategies/strategy.entity';

// The outbox: an alert row is committed before the webhook answers 202, and a sweep finishes any left unprocessed.
@Entity({ tableName: 'alerts' })
@Unique({ properties: ['strategy', 'idempotencyKey'] })
export class Alert extends BaseEntity {
  @ManyToOne(() => Strategy, { deleteRule: 'cascade' })
  strategy!: Strategy;

  @Property({ length: 200 })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  rawBody!: string;

  @Property({ type: 'json', nullable: true })
  payload?: Record<string, unknown>;

  @Property({ type: 'datetime' })
  receivedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  processedAt?: Date;

  @Enum({ items: () => AlertStatus })
  status: Opt<AlertStatus> = AlertStatus.RECEIVED;

  @Property({ length: 64, nullable: true })
  rejectReason?: string;

  @Property({ type: 'text', nullable: true })
  errorText?: string;

  @Property({ type: 'uuid' })
  correlationId!: string;

  @Property({ length: 64, nullable: true })
  sourceIp?: string;
}
