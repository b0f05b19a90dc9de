import { logger } from '../../../shared/logger';
import { TelegramApiClient, TelegramError } from './telegram-api.client';
import { sleepUnless, TelegramPoller } from './telegram-poller';
import type { TelegramUpdateHandler } from './telegram-update-handler';
import type { TelegramUpdatesMode } from './telegram-updates-mode';
import type { TelegramWebhookInbox } from './telegram-webhook-inbox';

export type TelegramBotOptions = {
  mode: TelegramUpdatesMode;
  // TELEGRAM_UPDATES=auto: a webhook Telegram refuses (400) falls back to polling
  auto: boolean;
  pollTimeoutSeconds: number;
  databaseUrl: string;
};

const SET_WEBHOOK_MAX_WAIT_MS = 60_000;

// How updates reach the bot. Webhook mode: every api process registers the same webhook and secret (setWebhook is
// idempotent) and takes the deliveries that come to it. Polling mode: one process long-polls getUpdates. The webhook
// route takes deliveries in both (stragglers of a switch), and each update runs once (telegram_update_claims).
export class TelegramBot {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly client: TelegramApiClient,
    private readonly handler: TelegramUpdateHandler,
    private readonly inbox: TelegramWebhookInbox,
    private readonly options: TelegramBotOptions,
  ) {}

  start(): void {
    this.inbox.open(this.handler);
    this.loop = this.run().catch((error: unknown) => {
      logger.error('telegram bot stopped', { error });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.inbox.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { mode } = this.options;
    if (mode.mode === 'webhook' && (await this.registerWebhook(mode.url))) return;
    if (mode.mode === 'polling') logger.info('telegram bot: polling getUpdates', { reason: mode.reason });
    await new TelegramPoller(this.client, this.handler, this.options, this.abort.signal).run();
  }

  // True once Telegram has the webhook (or at shutdown); false when auto mode should poll instead
  private async registerWebhook(url: string): Promise<boolean> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.client.setWebhook(url, this.inbox.secret);
        logger.info('telegram bot: webhook set', { url });
        return true;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        // 400: Telegram will not post there (unresolvable host, reserved address, bad certificate)
        if (error instanceof TelegramError && error.status === 400 && this.options.auto) {
          logger.error('telegram bot: setWebhook refused, polling getUpdates instead', { url, error: error.message });
          return false;
        }
        failures += 1;
        const wait =
          error instanceof TelegramError && error.retryAfterMs
            ? error.retryAfterMs
            : Math.min(SET_WEBHOOK_MAX_WAIT_MS, 500 * 2 ** failures);
        logger.warn('telegram setWebhook failed', {
          url,
          error: error instanceof Error ? error.message : String(error),
          retryInMs: wait,
        });
        await sleepUnless(wait, this.abort.signal);
      }
    }
    return true;
  }
}
