import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { LimiterFactory, memoryLimiters } from '../../cluster/shared-limiters';
import { z } from 'zod';
import { AppError, badInput, conflict, notFound } from '../../shared/app-error';
import { NotificationEvent, NotificationKind, NotificationStatus } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { logger } from '../../shared/logger';
import type { StrategyService } from '../strategies/strategy.service';
import { User } from '../users/user.entity';
import { ChannelTransports } from './channel-transports';
import { render } from './notification-message';
import { NotificationChannel } from './notification-channel.entity';
import { Notification } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { CHOOSABLE_EVENTS, DEFAULT_NOTIFICATION_EVENTS } from './notification-preferences';
import type {
  NotificationChannelInput,
  NotificationPreferencesInput,
  NotificationPreferenceView,
} from './notification.types';
import { renderTemplate } from './notification.templates';
import { CODE_TTL_MS, codeMatches, hashCode, MAX_CODE_ATTEMPTS, newVerificationCode } from './verification-code';

const TELEGRAM_CHAT_ID = /^-?\d{1,20}$/;
const email = z.string().trim().toLowerCase().email().max(254);
// Codes sent per user: enough to fix a typo, too few to turn resending into guessing
const CODES_PER_HOUR = 10;

// Channels (add with a code sent through it, verify, remove, test) and preferences of the signed-in user.
export class NotificationSettingsService {
  // Counted across every api process (cluster/shared-limiters.ts)
  private readonly codeSends: RateLimiterAbstract;

  constructor(
    private readonly transports: ChannelTransports,
    private readonly strategies: StrategyService,
    // Told whenever who-wants-what changes, so the events listener sees it at once in this process
    private readonly onChange: () => Promise<void>,
    private readonly wake: () => void,
    private readonly webBaseUrl: string,
    limiters: LimiterFactory = memoryLimiters(),
  ) {
    this.codeSends = limiters.create({ keyPrefix: 'notify-codes', points: CODES_PER_HOUR, duration: 3600 });
  }

  listChannels(em: EntityManager, user: User): Promise<NotificationChannel[]> {
    return em.find(NotificationChannel, { user: user.id }, { orderBy: { createdAt: 'asc' } });
  }

  async addChannel(em: EntityManager, user: User, input: NotificationChannelInput): Promise<NotificationChannel> {
    const target = this.checkTarget(input);
    if (!this.transports.supports(input.kind)) {
      const setting = input.kind === NotificationKind.TELEGRAM ? 'TELEGRAM_BOT_TOKEN' : 'SMTP_URL';
      throw badInput(`${input.kind} notifications are not configured on this server (${setting})`, [
        { path: 'kind', message: 'not configured' },
      ]);
    }
    const existing = await em.findOne(NotificationChannel, { user: user.id, kind: input.kind, target });
    if (existing?.verified) return existing;
    if (
      input.kind === NotificationKind.TELEGRAM &&
      (await em.count(NotificationChannel, { kind: input.kind, target, verified: true }))
    ) {
      throw conflict('This Telegram chat is already linked to another account');
    }
    await this.codeSends.consume(user.id).catch(() => {
      throw new AppError('RATE_LIMITED', 'Too many verification codes sent; try again in an hour', undefined, 3600);
    });
    const channel = existing ?? em.create(NotificationChannel, { user, kind: input.kind, target });
    const code = newVerificationCode();
    Object.assign(channel, {
      codeHash: hashCode(channel.id, code),
      codeExpiresAt: new Date(Date.now() + CODE_TTL_MS),
      codeAttempts: 0,
    });
    // Sent before anything is stored: a chat or address that cannot receive it changes nothing. The code is
    // never written to the delivery log (the log is readable, the code must come from the channel).
    const minutes = CODE_TTL_MS / 60_000;
    const message = render({
      title: 'AlgoDatta verification code',
      lines: [
        `Your code is ${code}. Enter it in AlgoDatta within ${minutes} minutes to receive notifications here.`,
        'If you did not ask for it, ignore this message.',
      ],
    });
    try {
      await this.transports.send(input.kind, target, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const hint =
        input.kind === NotificationKind.TELEGRAM
          ? ' Open a chat with the bot and send /start first, then use the chat id it answers with.'
          : '';
      throw badInput(`Could not send the verification code to ${target}: ${reason}.${hint}`, [
        { path: 'target', message: 'not reachable' },
      ]);
    }
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw conflict('This channel is being added already; try again');
      throw error;
    }
    return channel;
  }

  async verifyChannel(em: EntityManager, user: User, id: string, code: string): Promise<NotificationChannel> {
    const channel = await this.own(em, user, id);
    if (channel.verified) return channel;
    const fail = (message: string) => badInput(message, [{ path: 'code', message }]);
    if (!channel.codeHash || !channel.codeExpiresAt)
      throw fail('No code is pending for this channel; add it again to get a new code');
    if (channel.codeExpiresAt.getTime() < Date.now())
      throw fail('The code has expired; add the channel again to get a new code');
    if (channel.codeAttempts >= MAX_CODE_ATTEMPTS)
      throw fail('Too many wrong codes; add the channel again to get a new code');
    // Counted before comparing, and stored at once: parallel guesses cannot get past the limit
    const counted = await em.nativeUpdate(
      NotificationChannel,
      { id: channel.id, codeAttempts: { $lt: MAX_CODE_ATTEMPTS } },
      { codeAttempts: channel.codeAttempts + 1 },
    );
    if (!counted || !/^\d{6}$/.test(code.trim()) || !codeMatches(channel.id, code, channel.codeHash)) {
      throw fail('Wrong code');
    }
    try {
      await em.nativeUpdate(NotificationChannel, { id: channel.id }, {
        verified: true,
        verifiedAt: new Date(),
        codeHash: null,
        codeExpiresAt: null,
        codeAttempts: 0,
      } as never);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw conflict('This Telegram chat is already linked to another account');
      throw error;
    }
    await em.refresh(channel);
    await this.onChange();
    logger.info('notification channel verified', { channelId: channel.id, kind: channel.kind });
    return channel;
  }

  async removeChannel(em: EntityManager, user: User, id: string): Promise<boolean> {
    const channel = await this.own(em, user, id);
    // What was still waiting for it will never go out: the log says so instead of leaving it PENDING
    await em.nativeUpdate(
      Notification,
      { channel: channel.id, status: NotificationStatus.PENDING },
      { status: NotificationStatus.FAILED, error: 'channel removed' },
    );
    await em.removeAndFlush(channel);
    await this.onChange();
    return true;
  }

  async sendTest(em: EntityManager, user: User, channelId: string): Promise<boolean> {
    const channel = await this.own(em, user, channelId);
    if (!channel.verified) throw badInput('Verify the channel first', [{ path: 'channelId', message: 'not verified' }]);
    const message = render(
      renderTemplate({ event: NotificationEvent.TEST, at: new Date(), data: {}, webBaseUrl: this.webBaseUrl }),
    );
    // Through the queue like any other message: it shows in the log with its status, and retries
    em.create(Notification, {
      user,
      channel,
      eventType: NotificationEvent.TEST,
      subject: message.subject,
      body: message.text,
      html: message.html,
    });
    await em.flush();
    this.wake();
    return true;
  }

  async preferences(em: EntityManager, user: User): Promise<NotificationPreferenceView[]> {
    const rows = await em.find(NotificationPreference, { user: user.id }, { orderBy: { createdAt: 'asc' } });
    const fallback = rows.find((r) => !r.strategy);
    const views = [
      { strategyId: null, events: (fallback?.events ?? [...DEFAULT_NOTIFICATION_EVENTS]) as NotificationEvent[] },
    ];
    for (const row of rows)
      if (row.strategy) views.push({ strategyId: row.strategy.id as never, events: row.events as NotificationEvent[] });
    return views;
  }

  async setPreferences(
    em: EntityManager,
    user: User,
    input: NotificationPreferencesInput,
  ): Promise<NotificationPreferenceView[]> {
    const invalid = input.events.filter((e) => !(CHOOSABLE_EVENTS as NotificationEvent[]).includes(e));
    if (invalid.length)
      throw badInput(`${invalid.join(', ')} cannot be chosen`, [
        { path: 'events', message: `choose from ${CHOOSABLE_EVENTS.join(', ')}` },
      ]);
    const strategy = input.strategyId
      ? await this.strategies.get(em, user, assertId(input.strategyId, 'strategyId'))
      : null;
    if (strategy && strategy.user.id !== user.id) throw notFound('Strategy');
    const events = [...new Set(input.events)];
    const row = await em.findOne(NotificationPreference, { user: user.id, strategy: strategy?.id ?? null });
    if (row) row.events = events;
    else em.create(NotificationPreference, { user, strategy: strategy ?? undefined, events });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw conflict('These preferences are being changed already; try again');
      throw error;
    }
    await this.onChange();
    return this.preferences(em, user);
  }

  // A strategy's own list goes, so the default list applies to it again (nothing to remove: the lists as they are)
  async removePreferences(em: EntityManager, user: User, strategyId: string): Promise<NotificationPreferenceView[]> {
    const strategy = await this.strategies.get(em, user, assertId(strategyId, 'strategyId'));
    if (strategy.user.id !== user.id) throw notFound('Strategy');
    const removed = await em.nativeDelete(NotificationPreference, { user: user.id, strategy: strategy.id });
    if (removed) await this.onChange();
    return this.preferences(em, user);
  }

  private checkTarget(input: NotificationChannelInput): string {
    if (input.kind === NotificationKind.TELEGRAM) {
      const target = input.target.trim();
      if (!TELEGRAM_CHAT_ID.test(target))
        throw badInput('A Telegram target is a numeric chat id, e.g. 123456789', [
          { path: 'target', message: 'not a chat id' },
        ]);
      return target;
    }
    const parsed = email.safeParse(input.target);
    if (!parsed.success)
      throw badInput('target must be an email address', [{ path: 'target', message: 'not an email address' }]);
    return parsed.data;
  }

  private async own(em: EntityManager, user: User, id: string): Promise<NotificationChannel> {
    const channel = await em.findOne(NotificationChannel, { id: assertId(id), user: user.id });
    if (!channel) throw notFound('Notification channel');
    return channel;
  }
}
