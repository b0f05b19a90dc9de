import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { NotificationKind } from '../../shared/enums';
import { EmailError, EmailTransport } from './email/email.transport';
import type { RenderedMessage } from './notification-message';
import { InlineKeyboard, TelegramApiClient, TelegramError } from './telegram/telegram-api.client';

// Why one send failed, in the terms the sender decides on
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly blocked = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

// Telegram allows a bot about 30 messages per second overall (and 1 per second per chat, kept by the sender)
export const TELEGRAM_PER_SECOND = 30;

// The ways out: Telegram (when TELEGRAM_BOT_TOKEN is set) and email (when SMTP_URL is set).
export class ChannelTransports {
  // Every Telegram call of this process takes a token first: notifications and the bot's answers alike
  private readonly telegramQueue = new RateLimiterQueue(
    new RateLimiterMemory({ points: TELEGRAM_PER_SECOND, duration: 1 }),
    { maxQueueSize: 10_000 },
  );

  constructor(
    readonly telegram?: TelegramApiClient,
    readonly email?: EmailTransport,
  ) {}

  supports(kind: NotificationKind): boolean {
    return kind === NotificationKind.TELEGRAM ? Boolean(this.telegram) : Boolean(this.email);
  }

  // Waits for Telegram's overall rate; callers outside the sender (the bot) use it too
  async telegramTurn(): Promise<void> {
    await this.telegramQueue.removeTokens(1);
  }

  async send(
    kind: NotificationKind,
    target: string,
    message: RenderedMessage,
    keyboard?: InlineKeyboard,
  ): Promise<void> {
    try {
      if (kind === NotificationKind.TELEGRAM) {
        if (!this.telegram) throw new SendFailure('Telegram is not configured (TELEGRAM_BOT_TOKEN)', true);
        await this.telegramTurn();
        await this.telegram.sendMessage(target, message.text, keyboard);
      } else {
        if (!this.email) throw new SendFailure('Email is not configured (SMTP_URL)', true);
        await this.email.send({ to: target, subject: message.subject, text: message.text, html: message.html });
      }
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      if (error instanceof TelegramError)
        throw new SendFailure(error.message, error.permanent, error.blocked, error.retryAfterMs);
      if (error instanceof EmailError) throw new SendFailure(error.message, error.permanent);
      throw new SendFailure(error instanceof Error ? error.message : String(error), false);
    }
  }

  close(): void {
    this.email?.close();
  }
}
