import { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity';
import { AuditLog } from './audit-log.entity';

export type AuditEntry = {
  actor?: User;
  action: string;
  entityType?: string;
  entityId?: string;
  details?: Record<string, unknown>;
  ip?: string;
};

// Persisted in the caller's unit of work, so the audit row commits with the change it describes.
export function audit(em: EntityManager, entry: AuditEntry): void {
  em.create(AuditLog, entry);
}
