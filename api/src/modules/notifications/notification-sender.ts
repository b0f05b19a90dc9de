import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { uuidArray } from './uuid-array';
import { NotificationEvent, NotificationKind } from '../../shared/enums';
import type { InlineKeyboard } from './telegram/telegram-api.client';
import { logger } from '../../shared/logger';
import { isDatabaseConnectionLost } from '../../shared/database-connection-lost';
import { metrics } from '../../metrics/metrics';
import { ChannelTransports, SendFailure } from './channel-transports';
import { render, RenderedMessage, TELEGRAM_MAX_TEXT } from './notification-message';
import { renderDigest } from './notification.templates';

export type SenderPolicy = { maxAttempts: number; retryBaseMs: number; digestAfter: number };

const CHANNELS_PER_ROUND = 50;
const DIGEST_MAX = 100;
// Approval requests a Telegram digest carries buttons for (two a row; Telegram takes about a hundred buttons a
// message): more wait for the next message, so none goes out without its buttons
const DIGEST_APPROVALS_MAX = 20;
const MAX_RETRY_MS = 5 * 60_000;
// Telegram: one message per second per chat
const PER_CHAT_GAP_MS = 1000;
const LEASE = `interval '2 minutes'`;

type ClaimedChannel = { id: string; kind: NotificationKind; target: string; user_id: string };
type PendingRow = {
  id: string;
  event_type: string;
  execution_id: string | null;
  subject: string;
  body: string;
  html: string | null;
  attempts: number;
};

// A channel is claimed with a lease: the one process holding it sends that channel's messages, one message at a
// time, at most one per second; a crashed holder's lease runs out and another process takes over.
const CLAIM_SQL = `
update notification_channels c set send_lease_until = now() + ${LEASE}
where c.id in (
  select n.channel_id from notifications n join notification_channels w on w.id = n.channel_id
  where n.status = 'PENDING' and n.next_attempt_at <= now() and w.verified
    and (w.send_lease_until is null or w.send_lease_until < now()) and (w.send_after is null or w.send_after <= now())
  group by n.channel_id order by min(n.next_attempt_at) limit ${CHANNELS_PER_ROUND})
and (c.send_lease_until is null or c.send_lease_until < now())
returning c.id, c.kind, c.target, c.user_id`;

const DUE_SQL = `
select id, event_type, execution_id, subject, body, html, attempts from notifications
where channel_id = ? and status = 'PENDING' and next_attempt_at <= now() order by created_at, id limit ${DIGEST_MAX + 1}`;

const RELEASE_SQL = `update notification_channels set send_lease_until = null, send_after = now() + ? * interval '1 millisecond' where id = ?`;

export function retryDelay(policy: SenderPolicy, attempts: number, retryAfterMs = 0): number {
  const backoff = Math.min(MAX_RETRY_MS, policy.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(retryAfterMs, Math.round(backoff * (0.8 + Math.random() * 0.4)));
}

// Sends what is due: each claimed channel gets its oldest message, or one digest of everything waiting when more
// than `digestAfter` messages wait (a burst of fills becomes one message, not a hundred); on Telegram a digest
// still carries a labelled row of Approve / Reject buttons for each approval request in it. Failures are retried with
// backoff (Telegram's retry_after when longer); a 403 (bot blocked) unverifies the channel and ends its messages.
export class NotificationSender {
  constructor(
    private readonly em: () => EntityManager,
    private readonly transports: ChannelTransports,
    private readonly policy: SenderPolicy,
    // Told when a channel stops being verified, so the listener stops recording for it
    private readonly onUnverified: () => void,
    // The Approve / Reject buttons of an approval request sent to a Telegram chat (alone, or a row of a digest)
    private readonly approvalButtons?: (executionId: string, chatId: string) => InlineKeyboard | undefined,
  ) {}

  // One round; the number of channels it sent to
  async sendOnce(): Promise<number> {
    const channels = await query<ClaimedChannel>(this.em(), CLAIM_SQL);
    await Promise.all(
      channels.map((channel) =>
        this.sendTo(channel).catch((error) => {
          logger.log(isDatabaseConnectionLost(error) ? 'warn' : 'error', 'notification send round failed', {
            channelId: channel.id,
            error,
          });
          return query(this.em(), RELEASE_SQL, [PER_CHAT_GAP_MS, channel.id]).catch(() => undefined);
        }),
      ),
    );
    return channels.length;
  }

  private async sendTo(channel: ClaimedChannel): Promise<void> {
    const em = this.em();
    const due = await query<PendingRow>(em, DUE_SQL, [channel.id]);
    if (!due.length) {
      await query(em, RELEASE_SQL, [0, channel.id]);
      return;
    }
    // Approval requests carry Approve / Reject buttons on Telegram, alone or in a digest
    const buttons = channel.kind === NotificationKind.TELEGRAM ? this.approvalButtons : undefined;
    const isRequest = (r: PendingRow) =>
      Boolean(buttons && r.execution_id && r.event_type === NotificationEvent.AWAITING_APPROVAL);
    const batch = due.length > this.policy.digestAfter ? digestOf(due, isRequest) : due.slice(0, 1);
    const only = batch.length === 1 ? batch[0] : undefined;
    // In a digest each request is numbered, its line and its row of buttons alike ("Approve #2 BUY 1 INFY")
    const numbers = new Map(batch.filter(isRequest).map((r, i) => [r.id, i + 1]));
    const title = (r: PendingRow) => {
      const plain = r.subject.replace(/^\[AlgoDatta\] /, '');
      return numbers.has(r.id) ? `#${numbers.get(r.id)} ${plain}` : plain;
    };
    const message: RenderedMessage = only
      ? { subject: only.subject, text: only.body, html: only.html ?? '' }
      : render(
          renderDigest(
            batch.map((r) => ({ event: r.event_type, title: title(r) })),
            TELEGRAM_MAX_TEXT,
          ),
        );
    const rowIds = batch.map((r) => r.id);
    const keyboard = only
      ? isRequest(only)
        ? buttons!(only.execution_id!, channel.target)
        : undefined
      : digestButtons(
          batch.filter(isRequest).map((r) => ({
            label: `#${numbers.get(r.id)} ${r.subject.replace(/^(\[AlgoDatta\] )?Approval needed: /, '')}`,
            keyboard: buttons!(r.execution_id!, channel.target),
          })),
        );
    try {
      await this.transports.send(channel.kind, channel.target, message, keyboard);
    } catch (error) {
      const failure = error instanceof SendFailure ? error : new SendFailure(String(error), false);
      metrics.notificationDelivered(channel.kind, 'FAILED');
      await this.failed(em, channel, batch, failure);
      return;
    }
    metrics.notificationDelivered(channel.kind, 'SENT');
    await query(
      em,
      `update notifications set status = 'SENT', sent_at = now(), attempts = attempts + 1, error = null, updated_at = now() where id = any(?::uuid[])`,
      [uuidArray(rowIds)],
    );
    await query(em, RELEASE_SQL, [PER_CHAT_GAP_MS, channel.id]);
  }

  private async failed(
    em: EntityManager,
    channel: ClaimedChannel,
    batch: PendingRow[],
    failure: SendFailure,
  ): Promise<void> {
    const message = failure.message.slice(0, 1000);
    logger.warn('notification not sent', {
      channelId: channel.id,
      kind: channel.kind,
      messages: batch.length,
      error: message,
    });
    if (failure.blocked) {
      // The user blocked the bot (or left the chat): nothing more is sent there until it is verified again
      await em.transactional(async (tx) => {
        await query(tx, `update notification_channels set verified = false, send_lease_until = null where id = ?`, [
          channel.id,
        ]);
        await query(
          tx,
          `update notifications set status = 'FAILED', attempts = attempts + case when id = any(?::uuid[]) then 1 else 0 end, error = ?, updated_at = now()
                         where channel_id = ? and status = 'PENDING'`,
          [uuidArray(batch.map((r) => r.id)), `${message}; the channel is no longer verified`, channel.id],
        );
      });
      this.onUnverified();
      return;
    }
    // One delay for the whole batch, so what was sent together is retried together
    const delay = retryDelay(this.policy, Math.max(...batch.map((r) => r.attempts + 1)), failure.retryAfterMs);
    await query(
      em,
      `update notifications set attempts = attempts + 1, error = ?, updated_at = now(), next_attempt_at = now() + ? * interval '1 millisecond',
                       status = case when ?::boolean or attempts + 1 >= ? then 'FAILED' else 'PENDING' end
                     where id = any(?::uuid[])`,
      [message, delay, failure.permanent, this.policy.maxAttempts, uuidArray(batch.map((r) => r.id))],
    );
    await query(em, RELEASE_SQL, [Math.max(PER_CHAT_GAP_MS, failure.retryAfterMs ?? 0), channel.id]);
  }
}

// A digest's messages: the oldest waiting, up to DIGEST_MAX, with at most DIGEST_APPROVALS_MAX approval requests
// (the rest are left for the next message)
function digestOf(due: PendingRow[], isRequest: (r: PendingRow) => boolean): PendingRow[] {
  const batch: PendingRow[] = [];
  let requests = 0;
  for (const row of due) {
    if (batch.length >= DIGEST_MAX) break;
    if (isRequest(row)) {
      if (requests >= DIGEST_APPROVALS_MAX) continue;
      requests += 1;
    }
    batch.push(row);
  }
  return batch;
}

// One row per approval request in a digest, each button labelled with its request (the Telegram update handler
// takes a decided request's row away and leaves the others)
function digestButtons(
  requests: Array<{ label: string; keyboard: InlineKeyboard | undefined }>,
): InlineKeyboard | undefined {
  const rows = requests.flatMap(({ label, keyboard }) => {
    const row = keyboard?.inline_keyboard[0];
    if (!row) return [];
    return [row.map((button) => ({ ...button, text: `${button.text} ${label}`.slice(0, 64) }))];
  });
  return rows.length ? { inline_keyboard: rows } : undefined;
}
