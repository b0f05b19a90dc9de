import { KeyedQueue } from '../../../shared/keyed-queue';
import { logger } from '../../../shared/logger';
import { Semaphore } from '../../../shared/semaphore';
import type { TelegramUpdate } from './telegram-api.client';
import { TelegramUpdateHandler, updateChat } from './telegram-update-handler';

// accepted: runs soon; duplicate: a process took it before; dropped: its chat has too many waiting (answered 200
// all the same, so one flooding chat does not hold up Telegram's deliveries to the others); busy and
// unavailable: Telegram should deliver it again later
export type InboxAnswer = 'accepted' | 'duplicate' | 'dropped' | 'busy' | 'unavailable';

// Updates handled at once (each needs a database connection and Telegram's rate), across chats
const CONCURRENCY = 4;
const PER_CHAT_MAX = 20;
const QUEUED_MAX = 1000;

// Where webhook deliveries go once the route has checked them: each update is claimed (once across processes), the
// route answers, and the update runs in the background. A chat's updates run in arrival order, one at a time;
// different chats take turns for the CONCURRENCY slots, so one chat's burst never queues another chat behind it.
export class TelegramWebhookInbox {
  private handler?: TelegramUpdateHandler;
  private readonly chats = new KeyedQueue();
  private readonly slots = new Semaphore(CONCURRENCY);
  // Updates held per chat and in all, from their claim until they ran
  private readonly waiting = new Map<string, number>();
  private held = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(readonly secret: string) {}

  open(handler: TelegramUpdateHandler): void {
    this.handler = handler;
  }

  async receive(update: TelegramUpdate): Promise<InboxAnswer> {
    if (!this.handler) return 'unavailable';
    if (this.held >= QUEUED_MAX) return 'busy';
    const chat = updateChat(update) ?? '';
    if ((this.waiting.get(chat) ?? 0) >= PER_CHAT_MAX) {
      logger.warn('telegram update dropped: its chat has too many waiting', { updateId: update.update_id });
      return 'dropped';
    }
    // The chat's place is held while the claim is out, so concurrent deliveries count against the limit too
    this.waiting.set(chat, (this.waiting.get(chat) ?? 0) + 1);
    this.held += 1;
    const handler = this.handler;
    let claimed = false;
    try {
      claimed = await handler.claim(update);
    } finally {
      if (!claimed) this.release(chat);
    }
    if (!claimed) return 'duplicate';
    if (!this.handler) {
      // Closed while the claim was out: give it back, so Telegram's next delivery (to a running process) runs it
      this.release(chat);
      await handler.unclaim(update);
      return 'unavailable';
    }
    this.enqueue(chat, update, handler);
    return 'accepted';
  }

  // Shutdown: updates already running finish, those still waiting are skipped (they were answered 200, so
  // Telegram will not send them again: logged)
  async close(): Promise<void> {
    this.handler = undefined;
    this.slots.close();
    await Promise.all(this.pending);
  }

  private enqueue(chat: string, update: TelegramUpdate, handler: TelegramUpdateHandler): void {
    const done = this.chats
      .run(chat, async () => {
        let ran = false;
        await this.slots.use(async () => {
          ran = true;
          await handler.handle(update);
        });
        if (!ran) logger.warn('telegram update skipped at shutdown', { updateId: update.update_id });
      })
      .catch((error: unknown) => {
        logger.error('telegram update failed', { updateId: update.update_id, error });
      })
      .finally(() => {
        this.release(chat);
        this.pending.delete(done);
      });
    this.pending.add(done);
  }

  private release(chat: string): void {
    this.held -= 1;
    const left = (this.waiting.get(chat) ?? 1) - 1;
    if (left > 0) this.waiting.set(chat, left);
    else this.waiting.delete(chat);
  }
}
