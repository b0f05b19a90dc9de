import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { uuidArray } from './uuid-array';
import { NotificationEvent } from '../../shared/enums';
import { istParts } from '../../shared/ist';
import type { DailySummaryData, SummaryPosition, SummaryStrategy } from './notification.templates';

const DAY_MS = 86_400_000;

// Per strategy over the 24 hours before the run: executions with fills (trades), realized P&L net of charges,
// and the win rate of the executions that realized something (an entry's P&L is only its charges).
const STRATEGIES_SQL = `
select e.user_id, s.name, e.mode, count(*)::int as trades, sum(e.pnl)::text as pnl,
       count(*) filter (where e.pnl <> -e.charges)::int as closed, count(*) filter (where e.pnl <> -e.charges and e.pnl > 0)::int as wins
from executions e join strategies s on s.id = e.strategy_id
where e.user_id = any(?::uuid[]) and e.filled_qty > 0 and e.updated_at > ? and e.updated_at <= ?
group by e.user_id, s.id, s.name, e.mode order by s.name, e.mode`;

const POSITIONS_SQL = `
select s.user_id, s.name as strategy, p.symbol, p.mode, p.qty::text, p.avg_price::text as "avgPrice", p.unrealized_pnl::text as "unrealizedPnl"
from positions p join strategies s on s.id = p.strategy_id
where s.user_id = any(?::uuid[]) and p.qty <> 0 order by s.name, p.symbol`;

// The daily job (DAILY_SUMMARY_TIME, IST): one DAILY_SUMMARY notification per user who traded, none for a user
// who did not. The dedupe key (user and IST date) makes a job that runs twice send once.
export class DailySummaryService {
  constructor(
    private readonly em: () => EntityManager,
    private readonly written: () => void,
  ) {}

  async run(now: Date = new Date()): Promise<number> {
    const em = this.em();
    const users = (
      await query<{ user_id: string }>(
        em,
        `
      select distinct c.user_id from notification_channels c join users u on u.id = c.user_id where c.verified and u.status = 'ACTIVE'`,
      )
    ).map((r) => r.user_id);
    if (!users.length) return 0;
    const from = new Date(now.getTime() - DAY_MS);
    const strategies = await query<SummaryStrategy & { user_id: string }>(em, STRATEGIES_SQL, [
      uuidArray(users),
      from,
      now,
    ]);
    const positions = await query<SummaryPosition & { user_id: string }>(em, POSITIONS_SQL, [uuidArray(users)]);
    const date = istParts(now).date;
    let enqueued = 0;
    for (const userId of users) {
      const own = strategies
        .filter((s) => s.user_id === userId)
        .map(({ user_id: _u, ...s }) => ({ ...s, pnl: s.pnl ?? '0' }));
      if (!own.length) continue;
      const data: DailySummaryData = {
        date,
        from: from.toISOString(),
        to: now.toISOString(),
        strategies: own,
        positions: positions.filter((p) => p.user_id === userId).map(({ user_id: _u, ...p }) => p),
      };
      const inserted = await query(
        em,
        `
        insert into notification_outbox (id, created_at, updated_at, user_id, event, data, everyone, admins, dedupe_key)
        values (gen_random_uuid(), now(), now(), ?, ?, ?::jsonb, false, false, ?) on conflict (dedupe_key) do nothing returning id`,
        [userId, NotificationEvent.DAILY_SUMMARY, JSON.stringify(data), `daily-summary:${userId}:${date}`],
      );
      enqueued += inserted.length;
    }
    if (enqueued) this.written();
    return enqueued;
  }
}
