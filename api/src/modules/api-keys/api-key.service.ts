import { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../shared/app-error';
import { assertId } from '../../shared/ids';
import { audit } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { ApiKey } from './api-key.entity';
import { hashApiKeySecret, newApiKeySecret } from './api-key-secret';
import { ApiKeyInput, CreatedApiKey } from './api-key.types';

const MAX_ACTIVE_KEYS = 20;

export type ApiKeyHooks = { revoked?: (keyId: string) => void };

// A user's own keys only: nobody, admins included, lists or revokes another user's keys.
export class ApiKeyService {
  constructor(private readonly hooks: ApiKeyHooks = {}) {}

  list(em: EntityManager, user: User): Promise<ApiKey[]> {
    return em.find(ApiKey, { user: user.id, revokedAt: null }, { orderBy: { createdAt: 'desc' } });
  }

  async create(em: EntityManager, user: User, input: ApiKeyInput, ip?: string): Promise<CreatedApiKey> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw badInput('expiresAt must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const active = await em.count(ApiKey, {
      user: user.id,
      revokedAt: null,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }],
    });
    if (active >= MAX_ACTIVE_KEYS) throw badInput(`at most ${MAX_ACTIVE_KEYS} API keys; revoke one first`);
    const { secret, prefix } = newApiKeySecret();
    const apiKey = em.create(ApiKey, {
      user,
      name: input.name.trim(),
      scopes: [...input.scopes],
      prefix,
      secretHash: hashApiKeySecret(secret),
      expiresAt: input.expiresAt ?? undefined,
    });
    audit(em, {
      actor: user,
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: apiKey.id,
      details: { name: apiKey.name, scopes: apiKey.scopes },
      ip,
    });
    await em.flush();
    return { apiKey, secret };
  }

  // Takes effect at once: the next request with the key is UNAUTHENTICATED, and its open sockets are closed
  async revoke(em: EntityManager, user: User, id: string, ip?: string): Promise<boolean> {
    const apiKey = await em.findOne(ApiKey, { id: assertId(id), user: user.id, revokedAt: null });
    if (!apiKey) throw notFound('API key');
    apiKey.revokedAt = new Date();
    audit(em, { actor: user, action: 'api_key.revoke', entityType: 'api_key', entityId: apiKey.id, ip });
    await em.flush();
    this.hooks.revoked?.(apiKey.id);
    return true;
  }
}
