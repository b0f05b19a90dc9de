import { RateLimiterMemory } from 'rate-limiter-flexible';

// 401s per client address per minute. Past the budget the webhook stops looking secrets up for that address
// (each lookup is a query on the order path's pool) and answers 429, except for secrets that opened a strategy
// lately: a sender guessing secrets cannot keep the database busy, nor lock out the users behind the same address.
export class UnauthorizedBudget {
  private readonly failures: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    this.failures = new RateLimiterMemory({ keyPrefix: 'webhook-401', points: perMinute, duration: 60 });
  }

  async spent(ip: string): Promise<boolean> {
    const state = await this.failures.get(ip);
    return state !== null && state.consumedPoints >= this.perMinute;
  }

  async recordFailure(ip: string): Promise<void> {
    await this.failures.penalty(ip, 1);
  }
}
