type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

// Group commit for a hot statement: at most `maxInFlight` batches run at once; calls that arrive meanwhile wait,
// and the next free slot takes everything waiting (up to `maxBatch`) as one batch. Under light load a call runs
// alone and at once (no timer, nothing added to its latency); under load one statement, one commit and one WAL
// flush serve many callers, and the statement never holds more than `maxInFlight` pool connections.
// `run` answers its items in order. When a batch of several fails, each item is run alone, so one bad item
// (or a deadlock between batches) fails only itself.
export class MicroBatcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private pumpQueued = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly limits: { maxInFlight: number; maxBatch: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // Calls made in the same tick (several requests parsed from one socket read) share their first batch
      if (!this.pumpQueued) {
        this.pumpQueued = true;
        queueMicrotask(() => this.pump());
      }
    });
  }

  private pump(): void {
    this.pumpQueued = false;
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.maxBatch);
      this.inFlight += 1;
      void this.settle(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async settle(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((w) => this.run([w.item]).then(([result]) => w.resolve(result), w.reject)));
    }
  }
}
