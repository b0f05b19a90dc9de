import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationKind, UserStatus } from '../../../shared/enums';
import { logger } from '../../../shared/logger';
import { User } from '../../users/user.entity';
import { NotificationChannel } from '../notification-channel.entity';
import { ApprovalOutcome, BotActions, BotCommands, Reply } from './bot-commands';
import { isApprovalData, readApprovalData } from './approval-buttons';
import { TelegramApiClient, TelegramUpdate } from './telegram-api.client';
import type { TelegramUpdateClaims } from './telegram-update-claims';

const COMMAND = /^\/([a-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/i;

const notLinked = (chatId: string) =>
  `This chat is not linked to an AlgoDatta account. Its chat id is ${chatId}: add it as a Telegram notification channel in AlgoDatta, then enter the code the bot sends here.`;

// The chat an update came from (the queue key of the webhook inbox)
export function updateChat(update: TelegramUpdate): string | undefined {
  const chat = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  return chat === undefined ? undefined : String(chat);
}

// Answers one update, however it arrived (getUpdates or the webhook): commands only for chats that are a verified
// channel of an active user; any other chat learns its own chat id (to link it) and nothing else.
export class TelegramUpdateHandler {
  constructor(
    private readonly client: TelegramApiClient,
    private readonly commands: BotCommands,
    private readonly actions: Pick<BotActions, 'decideApproval'>,
    private readonly claims: TelegramUpdateClaims,
    private readonly em: () => EntityManager,
    private readonly turn: () => Promise<void>,
    // Verifies the approval buttons' callback data (approval-buttons.ts)
    private readonly secretKey: string,
  ) {}

  // Takes the update for this process; false when one already did (a redelivery)
  claim(update: TelegramUpdate): Promise<boolean> {
    return this.claims.claim(update.update_id);
  }

  // Gives a claimed update back, unhandled
  unclaim(update: TelegramUpdate): Promise<void> {
    return this.claims.release(update.update_id);
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
    if (isApprovalData(query.data ?? '')) return this.handleApproval(query, chatId, user);
    await this.turn();
    await this.client.answerCallbackQuery(query.id).catch(() => undefined);
    if (!chatId || !user) return;
    const data = query.data ?? '';
    if (query.message) {
      // The buttons go once pressed, so a confirmation cannot be pressed again
      await this.turn();
      await this.client
        .editMessageText(
          chatId,
          query.message.message_id,
          `${query.message.text ?? ''}\n${data.startsWith('flatten:') ? 'Confirmed.' : 'Cancelled.'}`,
        )
        .catch(() => undefined);
    }
    if (!data.startsWith('flatten:')) return;
    await this.reply(chatId, await this.commands.confirmFlatten(em, user, data, query.id));
  }

  // Approve / Reject under an approval request: the same approval service as the dashboard. A button that does not
  // verify for this chat (forged, altered, forwarded from another user's chat) or an execution already decided
  // gets an answer and changes nothing; the message loses its buttons only once a decision is made or known.
  private async handleApproval(
    query: NonNullable<TelegramUpdate['callback_query']>,
    chatId: string | undefined,
    user: User | null,
  ): Promise<void> {
    const answer = async (text: string) => {
      await this.turn();
      await this.client.answerCallbackQuery(query.id, text).catch(() => undefined);
    };
    if (!chatId || !user) return answer('This chat is not linked to an AlgoDatta account.');
    const button = readApprovalData(this.secretKey, query.data ?? '', chatId);
    if (!button) return answer('This button is not valid here; nothing was changed.');
    const result = await this.actions
      .decideApproval(user.id, button.executionId, button.action)
      .catch((error: unknown) => {
        logger.error('telegram approval failed', { executionId: button.executionId, error });
        return null;
      });
    if (!result) return answer('That did not work; nothing was changed. Try again or use the dashboard.');
    if (result.outcome === 'not_found') return answer('This execution is not yours or no longer exists.');
    const outcome = approvalOutcomeText(result);
    await answer(outcome);
    if (!query.message) return;
    // A digest holds a row of buttons per request: this request's row goes, the others stay; its line names it
    const rows = query.message.reply_markup?.inline_keyboard ?? [];
    const pressed = rows.flat().find((b) => b.callback_data === query.data);
    const label = pressed?.text.replace(/^(Approve|Reject) ?/, '') ?? '';
    const others = rows.filter(
      (row) =>
        !row.some((b) => readApprovalData(this.secretKey, b.callback_data, chatId)?.executionId === button.executionId),
    );
    await this.turn();
    await this.client
      .editMessageText(
        chatId,
        query.message.message_id,
        `${query.message.text ?? ''}\n${label ? `${label}: ` : ''}${outcome}`.slice(0, 4096),
        others.length ? { inline_keyboard: others } : undefined,
      )
      .catch((error) =>
        logger.warn('telegram edit failed', { error: error instanceof Error ? error.message : String(error) }),
      );
  }

  private async userOf(em: EntityManager, chatId: string): Promise<User | null> {
    const channel = await em.findOne(
      NotificationChannel,
      { kind: NotificationKind.TELEGRAM, target: chatId, verified: true },
      { populate: ['user'] },
    );
    return channel && channel.user.status === UserStatus.ACTIVE ? channel.user : null;
  }

  private async reply(chatId: string, reply: Reply): Promise<void> {
    await this.turn();
    await this.client
      .sendMessage(chatId, reply.text.slice(0, 4096), reply.keyboard)
      .catch((error) =>
        logger.warn('telegram reply failed', { error: error instanceof Error ? error.message : String(error) }),
      );
  }
}

// The line a decided approval request gets in its chat (the callback's answer and the edited message)
export function approvalOutcomeText(r: ApprovalOutcome): string {
  const reason = r.reason ? ` (${r.reason})` : '';
  switch (r.outcome) {
    case 'approved':
      return `Approved: the order is ${r.status}.`;
    case 'rejected':
      return 'Rejected: no order was placed.';
    case 'refused':
      return `Not placed: the re-check at approval refused it${reason}.`;
    case 'already':
      return `Already decided: ${r.status}${reason}; nothing was changed.`;
    default:
      return 'Nothing was changed.';
  }
}
