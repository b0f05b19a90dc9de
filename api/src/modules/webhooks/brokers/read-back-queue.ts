import { logger } from '../../../shared/logger';

// Postbacks for one order arrive in bursts (TRANSIT, PENDING, TRADED): one read-back runs per execution at a
// time, and one more runs after it when postbacks came in meanwhile, so the last state is always read.
export class ReadBackQueue {
  private readonly state = new Map<string, 'running' | 'again'>();

  constructor(private readonly read: (executionId: string) => Promise<void>) {}

  request(executionId: string): void {
    const s = this.state.get(executionId);
    if (s) {
      this.state.set(executionId, 'again');
      return;
    }
    this.state.set(executionId, 'running');
    setImmediate(() => void this.loop(executionId));
  }

  private async loop(executionId: string): Promise<void> {
    for (;;) {
      await this.read(executionId).catch((error: unknown) =>
        logger.warn('postback read-back failed', { executionId, error: (error as Error).message }),
      );
      if (this.state.get(executionId) !== 'again') break;
      this.state.set(executionId, 'running');
    }
    this.state.delete(executionId);
  }
}
