type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

// Group commit for a hot statement: at most `maxInFlight` batches run at once; calls that arrive meanwhile wait,
// and the next free slot takes everything waiting (up to `maxBatch`) as one batch. Under light load a call runs
// alone and at once (no timer, nothing added to its latency); under load one statement, one commit and one WAL
// flush serve many callers, and the statement never holds more than `maxInFlight` pool connections.
// Calls are answered in the order they were submitted, across batches too: a batch that finishes before an earlier
// one waits to answer, so whatever callers do next (start the order of an alert) happens in arrival order.
// When a batch of several fails, each item is run alone, so one bad item (or a deadlock between batches) fails
// only itself.
export class MicroBatcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private pumpQueued = false;
  private answered: Promise<void> = Promise.resolve();

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
      const outcome = this.settle(batch);
      // The slot is free as soon as the statement is done; the answers wait for the earlier batches' answers
      this.answered = Promise.all([this.answered, outcome]).then(([, answer]) => answer());
      void outcome.finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  // Runs a batch and returns how to answer its callers (called once the batches before it have answered)
  private async settle(batch: Array<Waiting<I, O>>): Promise<() => void> {
    try {
      const results = await this.run(batch.map((w) => w.item));
      return () => batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return () => batch[0].reject(error);
      const answers = await Promise.all(
        batch.map((w) =>
          this.run([w.item]).then(
            ([result]) =>
              () =>
                w.resolve(result),
            (e: unknown) => () => w.reject(e),
          ),
        ),
      );
      return () => answers.forEach((answer) => answer());
    }
  }
}
