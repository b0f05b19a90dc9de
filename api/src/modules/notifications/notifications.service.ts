import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/env.schema';
import { query } from '../../db/query';
import type { AppPubSub } from '../../graphql/pubsub';
import { logger } from '../../shared/logger';
import { isDatabaseConnectionLost } from '../../shared/database-connection-lost';
import type { LimiterFactory } from '../../cluster/shared-limiters';
import type { StrategyService } from '../strategies/strategy.service';
import { ChannelTransports } from './channel-transports';
import { DailySummaryService } from './daily-summary.service';
import { EmailTransport } from './email/email.transport';
import { NotificationAudience } from './notification-audience';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationEventsListener } from './notification-events.listener';
import { NotificationSender } from './notification-sender';
import { NotificationSettingsService } from './notification-settings.service';
import { approvalKeyboard } from './telegram/approval-buttons';
import { BotActions, BotCommands } from './telegram/bot-commands';
import { TelegramApiClient } from './telegram/telegram-api.client';
import { TelegramBot } from './telegram/telegram-bot.service';
import { TelegramUpdateClaims } from './telegram/telegram-update-claims';
import { TelegramUpdateHandler } from './telegram/telegram-update-handler';
import { telegramUpdatesMode, TelegramUpdatesMode } from './telegram/telegram-updates-mode';
import { TelegramWebhookInbox } from './telegram/telegram-webhook-inbox';
import { telegramWebhookSecret } from './telegram/telegram-webhook-secret';

const PRUNE_EVERY_MS = 3_600_000;
const PEEK_SQL = `select exists(select 1 from notification_outbox where dispatched_at is null) as outbox,
  exists(select 1 from notifications where status = 'PENDING' and next_attempt_at <= now()) as due`;

// Notifications, wired: order events and outbox rows in, messages out. One loop per process dispatches the
// outbox and sends what is due, every NOTIFY_POLL_MS or at once when this process wrote something; the claims it
// makes in PostgreSQL let any number of processes run it.
export class NotificationsService {
  readonly transports: ChannelTransports;
  readonly audience: NotificationAudience;
  readonly settings: NotificationSettingsService;
  readonly dailySummary: DailySummaryService;
  private readonly listener: NotificationEventsListener;
  private readonly dispatcher: NotificationDispatcher;
  private readonly sender: NotificationSender;
  // Webhook deliveries come in here (the route); undefined without a bot
  readonly telegramInbox?: TelegramWebhookInbox;
  private readonly telegramMode?: TelegramUpdatesMode;
  private bot?: TelegramBot;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private prunedAt = Date.now();

  constructor(
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
    pubSub: AppPubSub,
    strategies: StrategyService,
    limiters?: LimiterFactory,
  ) {
    const em = () => orm.em.fork();
    const telegram = config.TELEGRAM_BOT_TOKEN
      ? new TelegramApiClient(config.TELEGRAM_API_BASE, config.TELEGRAM_BOT_TOKEN)
      : undefined;
    const email = config.SMTP_URL ? new EmailTransport(config.SMTP_URL, config.EMAIL_FROM) : undefined;
    this.transports = new ChannelTransports(telegram, email);
    if (config.TELEGRAM_BOT_TOKEN) {
      // Checked here, at start-up: TELEGRAM_UPDATES=webhook with a PUBLIC_BASE_URL Telegram cannot post to stops the api
      this.telegramMode = telegramUpdatesMode(config.TELEGRAM_UPDATES, config.PUBLIC_BASE_URL);
      this.telegramInbox = new TelegramWebhookInbox(
        telegramWebhookSecret(config.SECRET_KEY, config.TELEGRAM_BOT_TOKEN),
      );
    }
    this.audience = new NotificationAudience(em);
    const wake = () => this.wake();
    this.listener = new NotificationEventsListener(pubSub, this.audience, em, wake);
    this.dispatcher = new NotificationDispatcher(em, config.WEB_BASE_URL);
    this.sender = new NotificationSender(
      em,
      this.transports,
      {
        maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
        retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
        digestAfter: config.NOTIFY_DIGEST_AFTER,
      },
      () => void this.audience.refresh().catch(() => undefined),
      (executionId, chatId) => approvalKeyboard(config.SECRET_KEY, executionId, chatId),
    );
    this.settings = new NotificationSettingsService(
      this.transports,
      strategies,
      () => this.audience.refresh(),
      wake,
      config.WEB_BASE_URL,
      limiters,
    );
    this.dailySummary = new DailySummaryService(em, wake);
  }

  async start(databaseUrl: string, actions: BotActions): Promise<void> {
    this.stopped = false;
    await this.audience.refresh();
    this.listener.start();
    if (this.transports.telegram && this.telegramInbox && this.telegramMode) {
      const commands = new BotCommands(actions, this.config.WEB_BASE_URL);
      const claims = new TelegramUpdateClaims(() => this.orm.em.fork(), this.config.TELEGRAM_BOT_TOKEN!.split(':')[0]);
      const handler = new TelegramUpdateHandler(
        this.transports.telegram,
        commands,
        actions,
        claims,
        () => this.orm.em.fork(),
        () => this.transports.telegramTurn(),
        this.config.SECRET_KEY,
      );
      this.bot = new TelegramBot(this.transports.telegram, handler, this.telegramInbox, {
        mode: this.telegramMode,
        auto: this.config.TELEGRAM_UPDATES === 'auto',
        pollTimeoutSeconds: this.config.TELEGRAM_POLL_TIMEOUT_SECONDS,
        databaseUrl,
      });
      this.bot.start();
    }
    this.schedule(0);
  }

  // Something was written for sending: run a round now instead of at the next poll
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  // First at shutdown: no command starts an order once the executor drains
  async stopBot(): Promise<void> {
    await this.bot?.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.listener.stop();
    await this.bot?.stop();
    await this.running;
    // What the listener wrote last is sent by the next start (or another process)
    this.transports.close();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        const now = this.again;
        this.again = false;
        this.schedule(now ? 0 : this.config.NOTIFY_POLL_MS);
      });
    }, ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    try {
      // One cheap statement when there is nothing to do (the usual case between events)
      const [work] = await query<{ outbox: boolean; due: boolean }>(this.orm.em.fork(), PEEK_SQL);
      if (work?.outbox)
        while (!this.stopped && (await this.dispatcher.dispatchOnce()) > 0) {
          /* until the outbox is empty */
        }
      if (!this.stopped && (work?.outbox || work?.due)) await this.sender.sendOnce();
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.dispatcher.prune();
      }
    } catch (error) {
      // A dropped connection is retried by the next round on a fresh one
      logger.log(isDatabaseConnectionLost(error) ? 'warn' : 'error', 'notification round failed', { error });
    }
  }
}
