import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/base.entity';
import { User } from '../users/user.entity';

// Who did what: admin actions, kill switch, token resets, deploys. Append-only.
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['createdAt'] })
export class AuditLog extends BaseEntity {
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: User;

  @Property({ length: 64 })
  action!: string;

  @Property({ length: 32, nullable: true })
  entityType?: string;

  @Property({ length: 64, nullable: true })
  entityId?: string;

  @Property({ type: 'json', nullable: true })
  details?: Record<string, unknown>;

  @Property({ length: 64, nullable: true })
  ip?: string;
}
