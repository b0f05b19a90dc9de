import { logger } from '../../../shared/logger';

// After placement, from the placement: a broker's fill usually comes over its order-update socket or a postback;
// when neither arrives (socket down, no postback URL) the order is read back on this schedule, then by the regular
// poll. 0.5 s, 1 s, 2 s and 4 s after placement: a MARKET order the broker filled at once shows FILLED within a second.
const READ_AT_MS = [500, 1000, 2000, 4000];

// Reads a placed order back on the schedule until it is no longer open (`read` resolves false). In memory only:
// a restart leaves its orders to the regular poll.
export class OrderReadBack {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly read: (executionId: string) => Promise<boolean>) {}

  follow(executionId: string, step = 0): void {
    if (this.stopped || step >= READ_AT_MS.length) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.read(executionId).then(
          (open) => {
            if (open) this.follow(executionId, step + 1);
          },
          (error: unknown) => {
            logger.warn('reading a placed order back failed', { executionId, error: (error as Error).message });
            this.follow(executionId, step + 1);
          },
        );
      },
      READ_AT_MS[step] - (step > 0 ? READ_AT_MS[step - 1] : 0),
    );
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
