import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/env.schema';
import { AppError, conflict, unauthenticated } from '../../shared/app-error';
import { Role, UserStatus } from '../../shared/enums';
import { User } from '../users/user.entity';
import { signAccessToken } from './access-token';
import { LoginRateLimiter } from './login-rate-limiter';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { issueRefreshToken, revokeAllForUser, revokeByToken, rotateRefreshToken } from './refresh-tokens';

export type AuthResult = { accessToken: string; refreshToken: string; user: User };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export class AuthService {
  constructor(
    private readonly config: Pick<AppConfig, 'SECRET_KEY' | 'ACCESS_TOKEN_TTL' | 'REFRESH_TOKEN_TTL_DAYS'>,
    private readonly loginLimiter: LoginRateLimiter,
  ) {}

  async register(em: EntityManager, email: string, password: string, ip: string): Promise<AuthResult> {
    await this.loginLimiter.consumeRegistration(ip);
    const user = em.create(User, { email: normalizeEmail(email), passwordHash: await hashPassword(password), role: Role.USER });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw conflict('An account with this email already exists');
      throw error;
    }
    return this.issue(em, user);
  }

  async login(em: EntityManager, email: string, password: string, ip: string): Promise<AuthResult> {
    const normalized = normalizeEmail(email);
    await this.loginLimiter.consumeLogin(normalized, ip);
    const user = await em.findOne(User, { email: normalized });
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw unauthenticated('Wrong email or password');
    if (user.status === UserStatus.DISABLED) throw new AppError('FORBIDDEN', 'This account is disabled');
    await this.loginLimiter.recordSuccess(normalized);
    return this.issue(em, user);
  }

  async refresh(em: EntityManager, token: string): Promise<AuthResult> {
    const { userId, familyId } = await rotateRefreshToken(em, token);
    const user = await em.findOneOrFail(User, userId);
    if (user.status === UserStatus.DISABLED) throw new AppError('FORBIDDEN', 'This account is disabled');
    return this.issue(em, user, familyId);
  }

  async logout(em: EntityManager, userId: string, refreshToken?: string): Promise<boolean> {
    if (refreshToken) return revokeByToken(em, refreshToken, userId);
    await revokeAllForUser(em, userId);
    return true;
  }

  private async issue(em: EntityManager, user: User, familyId?: string): Promise<AuthResult> {
    const refreshToken = await issueRefreshToken(em, user, this.config.REFRESH_TOKEN_TTL_DAYS, familyId);
    const accessToken = signAccessToken(this.config.SECRET_KEY, this.config.ACCESS_TOKEN_TTL, user.id, user.role);
    return { accessToken, refreshToken, user };
  }
}
