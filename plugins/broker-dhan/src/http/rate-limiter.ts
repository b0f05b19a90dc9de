// Client-side limiter for Dhan's order APIs (10/s, 250/min, 1000/h, 7000/day). Requests over the limit WAIT in
// FIFO order; one still waiting at its deadline is removed and rejected with RateLimitError.
// A sliding-window log instead of bottleneck's fixed reservoirs: Dhan does not say whether its windows slide,
// and fixed windows allow twice the limit across a boundary (10 at 0.99 s and 10 at 1.01 s).
import { RateLimitError } from '@algodatta/broker-sdk';

export type RateWindow = { limit: number; windowMs: number };

type Job = { run: () => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };

export class SlidingWindowLimiter {
  private starts: number[] = [];
  private queue: Job[] = [];
  private pumpTimer?: NodeJS.Timeout;
  private readonly longest: number;

  constructor(
    private readonly windows: RateWindow[],
    private readonly opts: { broker: string; queueTimeoutMs: number; now?: () => number },
  ) {
    this.longest = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Runs fn when every window has room; rejects with RateLimitError if that is later than the deadline. */
  schedule<T>(fn: () => Promise<T>, queueTimeoutMs = this.opts.queueTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        run: () => { fn().then(resolve, reject); },
        reject,
      };
      job.timer = setTimeout(() => {
        const i = this.queue.indexOf(job);
        if (i < 0) return;
        this.queue.splice(i, 1);
        reject(new RateLimitError(`${this.opts.broker}: request waited ${queueTimeoutMs} ms for the client-side rate limit`, {
          broker: this.opts.broker, retryAfterMs: Math.max(1, this.waitMs()),
        }));
      }, queueTimeoutMs);
      this.queue.push(job);
      this.pump();
    });
  }

  /** How long until one more request may start (0 = now). */
  waitMs(): number {
    const now = this.now();
    while (this.starts.length && this.starts[0] <= now - this.longest) this.starts.shift();
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = this.countSince(now - w.windowMs);
      if (inWindow >= w.limit) {
        // The start that must age out before there is room again
        const blocking = this.starts[this.starts.length - w.limit];
        wait = Math.max(wait, blocking + w.windowMs - now);
      }
    }
    return wait;
  }

  get queued(): number {
    return this.queue.length;
  }

  close(): void {
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    for (const j of this.queue.splice(0)) {
      clearTimeout(j.timer);
      j.reject(new RateLimitError(`${this.opts.broker}: client closed while the request was queued`, { broker: this.opts.broker }));
    }
  }

  private countSince(t: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] > t) hi = mid; else lo = mid + 1;
    }
    return this.starts.length - lo;
  }

  private pump(): void {
    if (this.pumpTimer) return;
    while (this.queue.length) {
      const wait = this.waitMs();
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => { this.pumpTimer = undefined; this.pump(); }, wait);
        return;
      }
      const job = this.queue.shift() as Job;
      clearTimeout(job.timer);
      this.starts.push(this.now());
      job.run();
    }
  }
}
