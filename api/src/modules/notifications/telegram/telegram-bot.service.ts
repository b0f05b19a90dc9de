import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { NotificationKind, UserStatus } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { User } from '../../users/user.entity';
import { NotificationChannel } from '../notification-channel.entity';
import { BotCommands, Reply } from './bot-commands';
import { TelegramApiClient, TelegramError, TelegramUpdate } from './telegram-api.client';

const COMMAND = /^\/([a-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/i;
// Telegram answers a second concurrent getUpdates with 409: one api process polls, the holder of this lock
const POLL_LOCK = 'algodatta.telegram-bot';
const LOCK_RETRY_MS = 30_000;

const notLinked = (chatId: string) =>
  `This chat is not linked to an AlgoDatta account. Its chat id is ${chatId}: add it as a Telegram notification channel in AlgoDatta, then enter the code the bot sends here.`;

// Long-polls getUpdates and answers commands, only for chats that are a verified channel of an active user;
// any other chat learns its own chat id (to link it) and nothing else.
export class TelegramBot {
  private stopped = false;
  private abort = new AbortController();
  private loop?: Promise<void>;
  private lock?: Client;

  constructor(
    private readonly client: TelegramApiClient,
    private readonly commands: BotCommands,
    private readonly em: () => EntityManager,
    private readonly turn: () => Promise<void>,
    private readonly options: { pollTimeoutSeconds: number; databaseUrl: string },
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      logger.error('telegram bot stopped', { error });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
    await this.lock?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped && !(await this.takeLock())) await this.sleep(LOCK_RETRY_MS);
    let offset: number | undefined;
    let failures = 0;
    while (!this.stopped) {
      let updates: TelegramUpdate[];
      try {
        updates = await this.client.getUpdates(offset, this.options.pollTimeoutSeconds, this.abort.signal);
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        const wait = error instanceof TelegramError && error.retryAfterMs ? error.retryAfterMs : Math.min(30_000, 500 * 2 ** failures);
        logger.warn('telegram getUpdates failed', { error: error instanceof Error ? error.message : String(error), retryInMs: wait });
        await this.sleep(wait);
        continue;
      }
      for (const update of updates) {
        offset = update.update_id + 1;
        await this.handle(update).catch((error) => logger.error('telegram update failed', { updateId: update.update_id, error }));
      }
    }
  }

  async handle(update: TelegramUpdate): Promise<void> {
    if (update.callback_query) return this.handleCallback(update.callback_query);
    const message = update.message;
    const text = message?.text?.trim();
    if (!message || !text) return;
    const chatId = String(message.chat.id);
    const match = COMMAND.exec(text);
    const em = this.em();
    const user = await this.userOf(em, chatId);
    if (!user) {
      // Strangers get their chat id and nothing else, and only when they address the bot
      if (match) await this.reply(chatId, { text: notLinked(chatId) });
      return;
    }
    if (!match) return;
    const reply = await this.commands.run(em, user, match[1].toLowerCase(), match[2] ?? '').catch((error: unknown) => {
      logger.error('telegram command failed', { command: match[1], error });
      return { text: 'That did not work; try again in a moment.' };
    });
    await this.reply(chatId, reply);
  }

  private async handleCallback(query: NonNullable<TelegramUpdate['callback_query']>): Promise<void> {
    const chatId = query.message ? String(query.message.chat.id) : undefined;
    const em = this.em();
    const user = chatId ? await this.userOf(em, chatId) : null;
    await this.turn();
    await this.client.answerCallbackQuery(query.id).catch(() => undefined);
    if (!chatId || !user) return;
    const data = query.data ?? '';
    if (query.message) {
      // The buttons go once pressed, so a confirmation cannot be pressed again
      await this.turn();
      await this.client.editMessageText(chatId, query.message.message_id, `${query.message.text ?? ''}\n${data.startsWith('flatten:') ? 'Confirmed.' : 'Cancelled.'}`).catch(() => undefined);
    }
    if (!data.startsWith('flatten:')) return;
    await this.reply(chatId, await this.commands.confirmFlatten(em, user, data, query.id));
  }

  private async userOf(em: EntityManager, chatId: string): Promise<User | null> {
    const channel = await em.findOne(NotificationChannel, { kind: NotificationKind.TELEGRAM, target: chatId, verified: true }, { populate: ['user'] });
    return channel && channel.user.status === UserStatus.ACTIVE ? channel.user : null;
  }

  private async reply(chatId: string, reply: Reply): Promise<void> {
    await this.turn();
    await this.client.sendMessage(chatId, reply.text.slice(0, 4096), reply.keyboard).catch((error) => logger.warn('telegram reply failed', { error: error instanceof Error ? error.message : String(error) }));
  }

  private async takeLock(): Promise<boolean> {
    try {
      const client = new Client({ connectionString: this.options.databaseUrl });
      client.on('error', () => undefined);
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [POLL_LOCK]);
      if (rows[0]?.locked) {
        this.lock = client;
        return true;
      }
      await client.end();
    } catch (error) {
      logger.warn('telegram bot: could not take the polling lock', { error: error instanceof Error ? error.message : String(error) });
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}
