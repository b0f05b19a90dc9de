import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../shared/app-error';
import { LimiterFactory, memoryLimiters } from '../../cluster/shared-limiters';

export type LoginLimits = { perEmail: number; perIp: number; windowSeconds: number; registrationsPerIpPerHour: number };

// Login attempts count per IP (spraying many accounts) and per email (guessing one account; a success clears
// it); registrations count per IP. Each attempt takes its point before the password is checked, in one step
// (consume), so guesses arriving together cannot all pass a check made before any of them was counted. The
// counters are shared by every api process (see cluster/shared-limiters.ts): a guesser spreading attempts over
// processes behind a load balancer gets the same budget as against one.
export class LoginRateLimiter {
  private readonly byEmail: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;
  private readonly registrationsByIp: RateLimiterAbstract;

  constructor(limits: LoginLimits, limiters: LimiterFactory = memoryLimiters()) {
    // A success resets the email's count, so no process may go on refusing it from memory
    this.byEmail = limiters.create({
      keyPrefix: 'login-email',
      points: limits.perEmail,
      duration: limits.windowSeconds,
      localBlock: false,
    });
    this.byIp = limiters.create({ keyPrefix: 'login-ip', points: limits.perIp, duration: limits.windowSeconds });
    this.registrationsByIp = limiters.create({
      keyPrefix: 'register-ip',
      points: limits.registrationsPerIpPerHour,
      duration: 3600,
    });
  }

  async consumeLogin(email: string, ip: string): Promise<void> {
    await this.byIp.consume(ip).catch((res: unknown) => {
      throw limited(res, 'login attempts');
    });
    await this.byEmail.consume(email).catch((res: unknown) => {
      throw limited(res, 'login attempts');
    });
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  async consumeRegistration(ip: string): Promise<void> {
    await this.registrationsByIp.consume(ip).catch((res: unknown) => {
      throw limited(res, 'registrations from this address');
    });
  }
}

function limited(res: unknown, what: string): Error {
  if (!(res instanceof RateLimiterRes)) return res as Error;
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many ${what}; try again in ${seconds} s`, undefined, seconds);
}
