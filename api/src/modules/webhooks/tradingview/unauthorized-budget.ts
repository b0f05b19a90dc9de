import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { LimiterFactory, memoryLimiters } from '../../../cluster/shared-limiters';

// 401s per client address per minute. Past the budget the webhook stops looking secrets up for that address
// (each lookup is a query on the order path's pool) and answers 429, except for secrets that opened a strategy
// lately: a sender guessing secrets cannot keep the database busy, nor lock out the users behind the same address.
export class UnauthorizedBudget {
  private readonly failures: RateLimiterAbstract;

  // Counted across every api process (cluster/shared-limiters.ts)
  constructor(
    private readonly perMinute: number,
    limiters: LimiterFactory = memoryLimiters(),
  ) {
    this.failures = limiters.create({ keyPrefix: 'webhook-401', points: perMinute, duration: 60 });
  }

  async spent(ip: string): Promise<boolean> {
    const state = await this.failures.get(ip);
    return state !== null && state.consumedPoints >= this.perMinute;
  }

  async recordFailure(ip: string): Promise<void> {
    await this.failures.penalty(ip, 1);
  }
}
