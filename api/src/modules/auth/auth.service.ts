import { randomUUID } from 'node:crypto';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/env.schema';
import { AppError, badInput, conflict, unauthenticated } from '../../shared/app-error';
import { Role, UserStatus } from '../../shared/enums';
import { audit } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { signAccessToken } from './access-token';
import { LoginRateLimiter } from './login-rate-limiter';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { issueRefreshToken, revokeAllForUser, revokeByToken, rotateRefreshToken } from './refresh-tokens';

// Wrong current passwords per user before changePassword stops checking for a while: a stolen access token must
// not become a way to guess the password
const PASSWORD_CHECKS = { points: 5, duration: 15 * 60 };

export type AuthResult = { accessToken: string; refreshToken: string; user: User };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export class AuthService {
  private readonly passwordChecks = new RateLimiterMemory({ keyPrefix: 'password-change', ...PASSWORD_CHECKS });

  constructor(
    private readonly config: Pick<AppConfig, 'SECRET_KEY' | 'ACCESS_TOKEN_TTL' | 'REFRESH_TOKEN_TTL_DAYS'>,
    private readonly loginLimiter: LoginRateLimiter,
  ) {}

  async register(em: EntityManager, email: string, password: string, ip: string): Promise<AuthResult> {
    await this.loginLimiter.consumeRegistration(ip);
    const user = em.create(User, {
      email: normalizeEmail(email),
      passwordHash: await hashPassword(password),
      role: Role.USER,
    });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw conflict('An account with this email already exists');
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

  // The new password takes effect at once and every login of the account ends (a thief's included); the caller
  // continues in a fresh login whose tokens come back in the answer
  async changePassword(
    em: EntityManager,
    user: User,
    currentPassword: string,
    newPassword: string,
    ip?: string,
  ): Promise<AuthResult> {
    const spent = await this.passwordChecks.get(user.id);
    if (spent && spent.consumedPoints >= PASSWORD_CHECKS.points) {
      const seconds = Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
      throw new AppError(
        'RATE_LIMITED',
        `Too many wrong current passwords; try again in ${seconds} s`,
        undefined,
        seconds,
      );
    }
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.passwordChecks.penalty(user.id, 1);
      // Not UNAUTHENTICATED: the caller's session is fine, only this field is wrong
      throw badInput('The current password is not right', [
        { path: 'currentPassword', message: 'The current password is not right' },
      ]);
    }
    if (currentPassword === newPassword) {
      throw badInput('The new password is the same as the current one', [
        { path: 'newPassword', message: 'Choose a password different from the current one' },
      ]);
    }
    await this.passwordChecks.delete(user.id);
    user.passwordHash = await hashPassword(newPassword);
    audit(em, { actor: user, action: 'user.change_password', entityType: 'user', entityId: user.id, ip });
    await em.flush();
    await revokeAllForUser(em, user.id);
    return this.issue(em, user);
  }

  private async issue(em: EntityManager, user: User, familyId: string = randomUUID()): Promise<AuthResult> {
    const refreshToken = await issueRefreshToken(em, user, this.config.REFRESH_TOKEN_TTL_DAYS, familyId);
    const accessToken = signAccessToken(
      this.config.SECRET_KEY,
      this.config.ACCESS_TOKEN_TTL,
      user.id,
      user.role,
      familyId,
    );
    return { accessToken, refreshToken, user };
  }
}
