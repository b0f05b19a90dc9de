import { Client } from 'pg';
import { logger } from '../../../shared/logger';
import { TelegramApiClient, TelegramError, TelegramUpdate } from './telegram-api.client';
import type { TelegramUpdateHandler } from './telegram-update-handler';

// Telegram answers a second concurrent getUpdates with 409: one api process polls, the holder of this lock
const POLL_LOCK = 'algodatta.telegram-bot';
const LOCK_RETRY_MS = 30_000;

// Long-polls getUpdates in the one process that holds the polling lock, and hands each update to the handler in turn
export class TelegramPoller {
  private lock?: Client;

  constructor(
    private readonly client: TelegramApiClient,
    private readonly handler: TelegramUpdateHandler,
    private readonly options: { pollTimeoutSeconds: number; databaseUrl: string },
    private readonly signal: AbortSignal,
  ) {}

  async run(): Promise<void> {
    try {
      while (!this.signal.aborted && !(await this.takeLock())) await this.sleep(LOCK_RETRY_MS);
      if (this.signal.aborted) return;
      await this.poll();
    } finally {
      await this.lock?.end().catch(() => undefined);
    }
  }

  private async poll(): Promise<void> {
    // Telegram refuses getUpdates while a webhook is set (from webhook mode before): remove it first. Only here:
    // a poller that removed a webhook on every 409 would undo a newer process's webhook mode.
    let webhookGone = false;
    let offset: number | undefined;
    let failures = 0;
    while (!this.signal.aborted) {
      let updates: TelegramUpdate[];
      try {
        if (!webhookGone) webhookGone = await this.client.deleteWebhook();
        updates = await this.client.getUpdates(offset, this.options.pollTimeoutSeconds, this.signal);
        failures = 0;
      } catch (error) {
        if (this.signal.aborted) return;
        failures += 1;
        const wait =
          error instanceof TelegramError && error.retryAfterMs
            ? error.retryAfterMs
            : Math.min(30_000, 500 * 2 ** failures);
        logger.warn('telegram polling failed', {
          error: error instanceof Error ? error.message : String(error),
          retryInMs: wait,
        });
        await this.sleep(wait);
        continue;
      }
      for (const update of updates) {
        offset = update.update_id + 1;
        await this.receive(update).catch((error) =>
          logger.error('telegram update failed', { updateId: update.update_id, error }),
        );
      }
    }
  }

  private async receive(update: TelegramUpdate): Promise<void> {
    // A webhook delivery may have run it already (just after a switch from webhook mode)
    if (await this.handler.claim(update)) await this.handler.handle(update);
  }

  private async takeLock(): Promise<boolean> {
    try {
      const client = new Client({ connectionString: this.options.databaseUrl });
      client.on('error', () => undefined);
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
        POLL_LOCK,
      ]);
      if (rows[0]?.locked) {
        this.lock = client;
        return true;
      }
      await client.end();
    } catch (error) {
      logger.warn('telegram bot: could not take the polling lock', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return sleepUnless(ms, this.signal);
  }
}

// Waits `ms`, or less when the signal aborts
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
