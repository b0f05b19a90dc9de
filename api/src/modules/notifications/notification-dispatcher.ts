import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { uuidArray } from './uuid-array';
import { NotificationEvent } from '../../shared/enums';
import { render } from './notification-message';
import { UserPreferences } from './notification-preferences';
import { ExecutionFacts, renderTemplate } from './notification.templates';

const BATCH = 200;

type OutboxRow = {
  id: string;
  user_id: string | null;
  event: string;
  strategy_id: string | null;
  execution_id: string | null;
  data: Record<string, unknown> | null;
  everyone: boolean;
  admins: boolean;
  created_at: Date;
};
type ChannelRow = { id: string; user_id: string; role: string };
type ExecutionRow = {
  id: string;
  symbol: string;
  side: string;
  broker_side: string | null;
  qty: string;
  mode: string;
  status: string;
  filled_qty: string;
  avg_fill_price: string | null;
  pnl: string | null;
  charges: string;
  reject_reason: string | null;
  last_error: string | null;
};

const CLAIM_SQL = `
select id, user_id, event, strategy_id, execution_id, data, everyone, admins, created_at from notification_outbox
where dispatched_at is null order by created_at limit ${BATCH} for update skip locked`;

const CHANNELS_SQL = `
select c.id, c.user_id, u.role from notification_channels c join users u on u.id = c.user_id
where c.verified and u.status = 'ACTIVE' and (c.user_id = any(?::uuid[]) or ?::boolean or (?::boolean and u.role = 'ADMIN'))
order by c.created_at`;

// Tagged: a statement count of the order path (bench/lib/pg-count-proxy.js) tells this read from the order's own
const EXECUTIONS_SQL = `/* notifications */
select id, symbol, side, broker_request->>'side' as broker_side, qty::text, mode, status, filled_qty::text, avg_fill_price::text, pnl::text,
       charges::text, reject_reason, last_error
from executions where id = any(?::uuid[])`;

const INSERT_SQL = `
insert into notifications (id, created_at, updated_at, user_id, channel_id, event_type, execution_id, subject, body, html, status, attempts, next_attempt_at)
select gen_random_uuid(), now() + x.ord * interval '1 microsecond', now(), x.user_id, x.channel_id, x.event, x.execution_id, x.subject, x.body, x.html, 'PENDING', 0, now()
from jsonb_to_recordset(?::jsonb) as x(ord int, user_id uuid, channel_id uuid, event text, execution_id uuid, subject text, body text, html text)`;

const ids = (values: Array<string | null>): string[] => [...new Set(values.filter((v): v is string => Boolean(v)))];

// Outbox rows -> one message per verified channel of each user who wants the event (their per-strategy list, else
// their default list, else the defaults). Rows are claimed with SKIP LOCKED and marked in the same transaction as
// the messages are written: each row is dispatched exactly once whatever the number of api processes.
export class NotificationDispatcher {
  constructor(
    private readonly em: () => EntityManager,
    private readonly webBaseUrl: string,
  ) {}

  // Dispatches one batch; the number of outbox rows it took (BATCH means there may be more)
  async dispatchOnce(): Promise<number> {
    return this.em().transactional(async (em) => {
      const rows = await query<OutboxRow>(em, CLAIM_SQL);
      if (!rows.length) return 0;
      const owners = ids(rows.map((r) => r.user_id));
      const channels = await query<ChannelRow>(em, CHANNELS_SQL, [
        uuidArray(owners),
        rows.some((r) => r.everyone),
        rows.some((r) => r.admins),
      ]);
      const users = ids(channels.map((c) => c.user_id));
      const prefs = await query<{ user_id: string; strategy_id: string | null; events: string[] }>(
        em,
        'select user_id, strategy_id, events from notification_preferences where user_id = any(?::uuid[])',
        [uuidArray(users)],
      );
      const executions = await query<ExecutionRow>(em, EXECUTIONS_SQL, [
        uuidArray(ids(rows.map((r) => r.execution_id))),
      ]);
      const strategies = await query<{ id: string; name: string; mode: string }>(
        em,
        'select id, name, mode from strategies where id = any(?::uuid[])',
        [uuidArray(ids(rows.map((r) => r.strategy_id)))],
      );
      const preferences = new Map(
        users.map((u) => [
          u,
          new UserPreferences(
            prefs.filter((p) => p.user_id === u).map((p) => ({ strategyId: p.strategy_id, events: p.events })),
          ),
        ]),
      );
      const channelsOf = new Map<string, ChannelRow[]>();
      for (const c of channels) channelsOf.set(c.user_id, [...(channelsOf.get(c.user_id) ?? []), c]);
      const admins = ids(channels.filter((c) => c.role === 'ADMIN').map((c) => c.user_id));
      const executionById = new Map(executions.map((e) => [e.id, toFacts(e)]));
      const strategyById = new Map(strategies.map((s) => [s.id, s]));

      const messages: Array<Record<string, unknown>> = [];
      for (const row of rows) {
        const audience = row.everyone ? users : ids([row.user_id, ...(row.admins ? admins : [])]);
        const wanting = audience.filter((u) => preferences.get(u)?.wants(row.event, row.strategy_id));
        if (!wanting.length) continue;
        const execution = row.execution_id ? executionById.get(row.execution_id) : undefined;
        const data = row.data ?? {};
        const rendered = render(
          renderTemplate({
            event: row.event as NotificationEvent,
            at: typeof data.at === 'string' ? new Date(data.at) : new Date(row.created_at),
            data,
            execution,
            strategy: row.strategy_id ? strategyById.get(row.strategy_id) : undefined,
            webBaseUrl: this.webBaseUrl,
          }),
        );
        for (const userId of wanting) {
          for (const channel of channelsOf.get(userId) ?? []) {
            messages.push({
              ord: messages.length,
              user_id: userId,
              channel_id: channel.id,
              event: row.event,
              execution_id: row.execution_id,
              subject: rendered.subject,
              body: rendered.text,
              html: rendered.html,
            });
          }
        }
      }
      if (messages.length) await query(em, INSERT_SQL, [JSON.stringify(messages)]);
      await query(em, 'update notification_outbox set dispatched_at = now() where id = any(?::uuid[])', [
        uuidArray(rows.map((r) => r.id)),
      ]);
      return rows.length;
    });
  }

  // Dispatched rows are kept a few days (the daily summary's dedupe key needs its day), then deleted
  async prune(): Promise<void> {
    await query(this.em(), `delete from notification_outbox where dispatched_at < now() - interval '3 days'`);
  }
}

function toFacts(e: ExecutionRow): ExecutionFacts {
  return {
    id: e.id,
    symbol: e.symbol,
    side: e.side,
    brokerSide: e.broker_side ?? undefined,
    qty: e.qty,
    mode: e.mode,
    status: e.status,
    filledQty: e.filled_qty,
    avgFillPrice: e.avg_fill_price,
    pnl: e.pnl,
    charges: e.charges,
    rejectReason: e.reject_reason,
    lastError: e.last_error,
  };
}
