import { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { D, money } from '../../shared/decimal';
import { Role, TradingMode } from '../../shared/enums';
import { istDayRange, istParts } from '../../shared/ist';
import { Position } from '../positions/position.entity';
import { markedUnrealizedPnl, PositionService } from '../positions/position.service';
import type { User } from '../users/user.entity';
import { MinuteCount, ModeToday, StrategyActivity, TodaySummary } from './dashboard.types';

const MINUTES = 60;
// Alerts a trader sent (TradingView, or the dashboard's test button); the platform's own exits are not alerts
const ALERT_SOURCES = `('alert', 'test_alert')`;

// Both read the (user_id, created_at) index over today's rows only
const TODAY_SQL = `
select mode, coalesce(sum(pnl), 0) as pnl, coalesce(sum(charges), 0) as charges, count(*)::int as executions,
       (count(*) filter (where status = 'FILLED'))::int as filled,
       (count(*) filter (where status in ('REJECTED', 'FAILED')))::int as rejected,
       (count(*) filter (where status in ('PENDING', 'PLACED', 'PARTIALLY_FILLED')))::int as working
from executions where user_id = ? and created_at >= ?
group by mode`;

const PER_MINUTE_SQL = `
select date_trunc('minute', created_at) as minute, count(*)::int as n
from executions where user_id = ? and created_at >= ? and source in ${ALERT_SOURCES}
group by 1`;

// One index probe per strategy on (strategy_id, created_at) for each figure
const ACTIVITY_SQL = `
select s.id, t.pnl, t.n, l.at
from strategies s
cross join lateral (select coalesce(sum(e.pnl), 0) as pnl, count(*)::int as n from executions e where e.strategy_id = s.id and e.created_at >= ?) t
left join lateral (select e.created_at as at from executions e where e.strategy_id = s.id and e.source = 'alert' order by e.created_at desc limit 1) l on true
where s.deleted_at is null and (? or s.user_id = ?)`;

type TodayRow = {
  mode: TradingMode;
  pnl: string;
  charges: string;
  executions: number;
  filled: number;
  rejected: number;
  working: number;
};

export class DashboardService {
  constructor(
    private readonly positions: PositionService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async today(em: EntityManager, user: User): Promise<TodaySummary> {
    const now = this.now();
    const date = istParts(now).date;
    const { start } = istDayRange(date);
    const firstMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - (MINUTES - 1) * 60_000);
    const [rows, minutes, open] = await Promise.all([
      query<TodayRow>(em, TODAY_SQL, [user.id, start]),
      query<{ minute: Date; n: number }>(em, PER_MINUTE_SQL, [user.id, firstMinute]),
      this.openPositions(em, user),
    ]);
    const modes = [TradingMode.PAPER, TradingMode.LIVE].map((mode): ModeToday => {
      const row = rows.find((r) => r.mode === mode);
      const mine = open.filter((p) => p.mode === mode);
      return {
        mode,
        realizedPnl: money(row?.pnl ?? 0),
        charges: money(row?.charges ?? 0),
        unrealizedPnl: money(mine.reduce((sum, p) => sum.plus(markedUnrealizedPnl(p)), new D(0))),
        openPositions: mine.length,
        executions: row?.executions ?? 0,
        filled: row?.filled ?? 0,
        rejected: row?.rejected ?? 0,
        working: row?.working ?? 0,
      };
    });
    return { date, modes, alertsPerMinute: fillMinutes(firstMinute, minutes) };
  }

  async strategyActivity(em: EntityManager, user: User): Promise<StrategyActivity[]> {
    const { start } = istDayRange(istParts(this.now()).date);
    const rows = await query<{ id: string; pnl: string; n: number; at: Date | null }>(em, ACTIVITY_SQL, [
      start,
      user.role === Role.ADMIN,
      user.id,
    ]);
    return rows.map((r) => ({
      strategyId: r.id,
      todayPnl: money(r.pnl),
      todayExecutions: r.n,
      lastSignalAt: r.at ? new Date(r.at) : undefined,
    }));
  }

  private async openPositions(em: EntityManager, user: User): Promise<Position[]> {
    const open = await em.find(
      Position,
      { strategy: { user: user.id }, qty: { $ne: '0' } },
      { populate: ['strategy'] },
    );
    await this.positions.mark(em, open);
    return open;
  }
}

function fillMinutes(first: Date, rows: Array<{ minute: Date; n: number }>): MinuteCount[] {
  const counts = new Map(rows.map((r) => [new Date(r.minute).getTime(), r.n]));
  return Array.from({ length: MINUTES }, (_, i) => {
    const at = new Date(first.getTime() + i * 60_000);
    return { at, count: counts.get(at.getTime()) ?? 0 };
  });
}
