import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../shared/app-error';

export type LoginLimits = { perEmail: number; perIp: number; windowSeconds: number };

// Failed attempts count per email (guessing one account) and all attempts per IP (spraying many accounts).
export class LoginRateLimiter {
  private readonly byEmail: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(limits: LoginLimits) {
    this.byEmail = new RateLimiterMemory({ keyPrefix: 'login-email', points: limits.perEmail, duration: limits.windowSeconds });
    this.byIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: limits.perIp, duration: limits.windowSeconds });
  }

  async checkAllowed(email: string, ip: string): Promise<void> {
    const [emailState, ipState] = await Promise.all([this.byEmail.get(email), this.byIp.get(ip)]);
    for (const [state, limiter] of [[emailState, this.byEmail], [ipState, this.byIp]] as const) {
      if (state && state.consumedPoints >= limiter.points) throw this.limited(state);
    }
    await this.byIp.consume(ip).catch((res: RateLimiterRes) => { throw this.limited(res); });
  }

  async recordFailure(email: string): Promise<void> {
    await this.byEmail.penalty(email, 1);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  private limited(res: RateLimiterRes): AppError {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new AppError('RATE_LIMITED', `Too many login attempts; try again in ${seconds} s`, undefined, seconds);
  }
}
