// At most `size` tasks run at once; the rest wait in arrival order. After close(), waiting and new tasks are
// skipped (resolve to undefined) so a shutdown only waits for the tasks already running.
export class Semaphore {
  private active = 0;
  private closed = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async use<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.closed) {
      this.waiting.shift()?.();
      return undefined;
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  close(): void {
    this.closed = true;
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}
