// Client-side limiter for Dhan's order APIs (10/s, 250/min, 1000/h, 7000/day; we cap at 8/s by default). Requests
// over the limit WAIT; one still waiting at its deadline is removed and rejected with RateLimitError.
// A sliding-window log instead of bottleneck's fixed reservoirs: Dhan does not say whether its windows slide,
// and fixed windows allow twice the limit across a boundary (10 at 0.99 s and 10 at 1.01 s).
//
// Dhan counts a request when it ARRIVES, which is somewhere between our send and its response. So a request holds
// its slot while in flight and its window starts at the response: the next request that the window lets through is
// sent after the earlier one's response, hence arrives after it, and the server's count can never exceed ours
// (timing windows from our send let network jitter squeeze a 5th request into Dhan's second and draw a 429).
//
// Fairness: callers name a lane (e.g. a strategy); lanes take turns, so one strategy's burst does not hold back
// another strategy's single order. Within a lane: first in, first out.
import { RateLimitError } from '@algodatta/broker-sdk';

export type RateWindow = { limit: number; windowMs: number };

type Job = { lane: string; run: () => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };

const DEFAULT_LANE = '';

export class SlidingWindowLimiter {
  // Response times of finished requests, ascending
  private ends: number[] = [];
  private inFlight = 0;
  // Lanes in turn order; each lane's jobs in arrival order
  private lanes = new Map<string, Job[]>();
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

  /**
   * Runs fn when every window has room; rejects with RateLimitError if that is later than the deadline.
   * `lane` groups one caller's requests (default: one shared lane).
   */
  schedule<T>(fn: () => Promise<T>, options: { queueTimeoutMs?: number; lane?: string } | number = {}): Promise<T> {
    const o = typeof options === 'number' ? { queueTimeoutMs: options } : options;
    const queueTimeoutMs = o.queueTimeoutMs ?? this.opts.queueTimeoutMs;
    const lane = o.lane ?? DEFAULT_LANE;
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        lane,
        run: () => {
          this.inFlight += 1;
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            this.inFlight -= 1;
            this.record(this.now());
            this.pump();
          };
          let p: Promise<T>;
          try {
            p = fn();
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(
            (v) => {
              finish();
              resolve(v);
            },
            (e: unknown) => {
              finish();
              reject(e);
            },
          );
        },
        reject,
      };
      job.timer = setTimeout(() => {
        const q = this.lanes.get(lane);
        const i = q ? q.indexOf(job) : -1;
        if (!q || i < 0) return;
        q.splice(i, 1);
        if (!q.length) this.lanes.delete(lane);
        const wait = this.waitMs();
        reject(
          new RateLimitError(
            `${this.opts.broker}: request waited ${queueTimeoutMs} ms for the client-side rate limit`,
            {
              broker: this.opts.broker,
              retryAfterMs: Math.max(1, Number.isFinite(wait) ? wait : 1000),
            },
          ),
        );
      }, queueTimeoutMs);
      const q = this.lanes.get(lane);
      if (q) q.push(job);
      else this.lanes.set(lane, [job]);
      this.pump();
    });
  }

  /** How long until one more request may start (0 = now, Infinity = when an in-flight request answers). */
  waitMs(): number {
    const now = this.now();
    while (this.ends.length && this.ends[0] <= now - this.longest) this.ends.shift();
    let wait = 0;
    for (const w of this.windows) {
      const from = this.firstIndexAfter(now - w.windowMs);
      const inWindow = this.ends.length - from;
      const excess = this.inFlight + inWindow - w.limit + 1;
      if (excess <= 0) continue;
      // In-flight requests leave the count only after they answer and their window passes
      if (excess > inWindow) return Infinity;
      wait = Math.max(wait, this.ends[from + excess - 1] + w.windowMs - now);
    }
    return wait;
  }

  get queued(): number {
    let n = 0;
    for (const q of this.lanes.values()) n += q.length;
    return n;
  }

  close(): void {
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    for (const q of this.lanes.values()) {
      for (const j of q) {
        clearTimeout(j.timer);
        j.reject(
          new RateLimitError(`${this.opts.broker}: client closed while the request was queued`, {
            broker: this.opts.broker,
          }),
        );
      }
    }
    this.lanes.clear();
  }

  private record(t: number): void {
    let i = this.ends.length;
    while (i > 0 && this.ends[i - 1] > t) i--;
    this.ends.splice(i, 0, t);
  }

  private firstIndexAfter(t: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // The next job in lane rotation: the first lane's head, then that lane goes to the back
  private takeNext(): Job | undefined {
    const first = this.lanes.entries().next();
    if (first.done) return undefined;
    const [lane, q] = first.value;
    const job = q.shift() as Job;
    this.lanes.delete(lane);
    if (q.length) this.lanes.set(lane, q);
    return job;
  }

  private pump(): void {
    if (this.pumpTimer) {
      clearTimeout(this.pumpTimer);
      this.pumpTimer = undefined;
    }
    while (this.lanes.size) {
      const wait = this.waitMs();
      if (wait === Infinity) return; // a finishing request pumps again
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const job = this.takeNext() as Job;
      clearTimeout(job.timer);
      job.run();
    }
  }
}
