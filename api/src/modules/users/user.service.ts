import { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../shared/app-error';
import { assertId } from '../../shared/ids';
import { UserStatus } from '../../shared/enums';
import { audit } from '../audit/audit.service';
import { revokeAllForUser } from '../auth/refresh-tokens';
import { User } from './user.entity';

// accessChanged: re-check their open sockets; disabled: cancel their resting orders (wired in app/services.ts)
export type UserHooks = { accessChanged?: (userId: string) => void; disabled?: (userId: string) => Promise<void> };

export class UserService {
  constructor(private readonly hooks: UserHooks = {}) {}

  list(em: EntityManager): Promise<User[]> {
    return em.find(User, {}, { orderBy: { createdAt: 'asc' } });
  }

  // Disabling also revokes every refresh token; access tokens are refused on their next use, and open
  // WebSocket sessions are closed (through the accessChanged hook).
  async setStatus(em: EntityManager, actor: User, id: string, status: UserStatus, ip?: string): Promise<User> {
    if (actor.id === id && status === UserStatus.DISABLED) throw badInput('You cannot disable your own account');
    const user = await em.findOne(User, assertId(id));
    if (!user) throw notFound('User');
    user.status = status;
    audit(em, { actor, action: 'user.set_status', entityType: 'user', entityId: id, details: { status }, ip });
    await em.flush();
    if (status === UserStatus.DISABLED) {
      await revokeAllForUser(em, id);
      await this.hooks.disabled?.(id);
    }
    this.hooks.accessChanged?.(id);
    return user;
  }
}
