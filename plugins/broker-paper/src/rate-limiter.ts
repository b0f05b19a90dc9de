// Sliding one-second window per client, like a broker's per-second order limit

import { RateLimitError } from '@algodatta/broker-sdk';

export class OrderRateLimiter {
  private readonly stamps: number[] = [];

  constructor(private readonly perSecond: number | undefined) {}

  check(now: number): void {
    if (!this.perSecond) return;
    while (this.stamps.length > 0 && now - this.stamps[0] >= 1000) this.stamps.shift();
    if (this.stamps.length >= this.perSecond) {
      const retryAfterMs = Math.max(0, 1000 - (now - this.stamps[0]));
      throw new RateLimitError(`paper: more than ${this.perSecond} orders per second`, {
        broker: 'paper',
        retryAfterMs,
      });
    }
    this.stamps.push(now);
  }
}
