import { EntityManager } from '@mikro-orm/postgresql';
import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { LimiterFactory, memoryLimiters } from '../../cluster/shared-limiters';
import { AppError, forbidden, unauthenticated } from '../../shared/app-error';
import { ApiKeyScope, UserStatus } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { ApiKey } from '../api-keys/api-key.entity';
import { hashApiKeySecret, isApiKeySecret } from '../api-keys/api-key-secret';
import { User } from '../users/user.entity';
import { bearerToken, verifyAccessToken } from './access-token';

export type ApiKeyGrant = { id: string; scopes: ApiKeyScope[] };

export type Authentication = {
  user?: User;
  // Why the presented credential was refused; raised only when an operation needs a user
  authError?: AppError;
  // Set when the caller authenticated with an API key: what it may do
  apiKey?: ApiKeyGrant;
  // When the credential stops working (access token expiry, key expiry); sockets are closed then
  expiresAt?: Date;
  // The login (refresh-token family) an access token belongs to, when it says
  sessionId?: string;
};

const LAST_USED_EVERY_MS = 60_000;

// The one place that turns an Authorization header into a user, for GraphQL over HTTP and WebSocket and for
// REST routes: "Bearer <access token>" or "Bearer <API key secret>". A bad or stale credential does not fail
// public operations (login, register); operations that need a user raise authError.
export class Authenticator {
  // Shared by every api process (see cluster/shared-limiters.ts)
  private readonly perKey: RateLimiterAbstract;

  constructor(
    private readonly secretKey: string,
    apiKeyRequestsPerMinute: number,
    limiters: LimiterFactory = memoryLimiters(),
  ) {
    this.perKey = limiters.create({ keyPrefix: 'api-key', points: apiKeyRequestsPerMinute, duration: 60 });
  }

  async authenticate(em: EntityManager, authorization: string | undefined): Promise<Authentication> {
    const token = bearerToken(authorization);
    if (!token) return authorization ? { authError: unauthenticated('Authorization must be "Bearer <token>"') } : {};
    try {
      return isApiKeySecret(token) ? await this.byApiKey(em, token) : await this.byAccessToken(em, token);
    } catch (error) {
      if (error instanceof AppError) return { authError: error };
      throw error;
    }
  }

  private async byAccessToken(em: EntityManager, token: string): Promise<Authentication> {
    const claims = verifyAccessToken(this.secretKey, token);
    const user = activeUser(await em.findOne(User, claims.sub));
    return {
      user,
      expiresAt: claims.exp ? new Date(claims.exp * 1000) : undefined,
      ...(claims.sid && { sessionId: claims.sid }),
    };
  }

  private async byApiKey(em: EntityManager, secret: string): Promise<Authentication> {
    const key = await em.findOne(ApiKey, { secretHash: hashApiKeySecret(secret) }, { populate: ['user'] });
    if (!key || key.revokedAt) throw unauthenticated('Invalid or revoked API key');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw unauthenticated('API key expired');
    const user = activeUser(key.user);
    await this.perKey.consume(key.id).catch((res: unknown) => {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError(
        'RATE_LIMITED',
        `Too many requests with this API key; try again in ${seconds} s`,
        undefined,
        seconds,
      );
    });
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) this.touch(em, key.id);
    return { user, apiKey: { id: key.id, scopes: key.scopes }, expiresAt: key.expiresAt };
  }

  // lastUsedAt moves at most once a minute (the condition holds concurrent requests to one write), off the
  // request's path
  private touch(em: EntityManager, id: string): void {
    em.getConnection()
      .execute(
        `update api_keys set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
        [id],
      )
      .catch((error: unknown) => logger.warn("could not record an API key's use", { apiKeyId: id, error }));
  }
}

function activeUser(user: User | null): User {
  if (!user) throw unauthenticated('Unknown user');
  if (user.status === UserStatus.DISABLED) throw forbidden('This account is disabled');
  return user;
}
