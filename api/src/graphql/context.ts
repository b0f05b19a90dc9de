import { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../app/services';
import { AppError } from '../shared/app-error';
import { UserStatus } from '../shared/enums';
import { bearerToken, verifyAccessToken } from '../modules/auth/access-token';
import { User } from '../modules/users/user.entity';

export type GraphQLContext = {
  em: EntityManager;
  services: Services;
  ip: string;
  correlationId: string;
  user?: User;
  // The login (refresh-token family) the access token belongs to, when it says
  sessionId?: string;
  // Why the presented token was refused; raised only when an operation needs a user
  authError?: AppError;
};

// A bad or stale token does not fail public operations (login, register); @Authorized ones raise authError.
export async function authenticate(
  em: EntityManager, secret: string, authorization: string | undefined,
): Promise<{ user?: User; sessionId?: string; authError?: AppError }> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? { authError: new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"') } : {};
  try {
    const claims = verifyAccessToken(secret, token);
    const user = await em.findOne(User, claims.sub);
    if (!user) return { authError: new AppError('UNAUTHENTICATED', 'Unknown user') };
    if (user.status === UserStatus.DISABLED) return { authError: new AppError('FORBIDDEN', 'This account is disabled') };
    return { user, ...(claims.sid && { sessionId: claims.sid }) };
  } catch (error) {
    if (error instanceof AppError) return { authError: error };
    throw error;
  }
}
