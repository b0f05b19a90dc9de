import type { Sql } from '../../../db/sql';
import type { Lane, Work } from './fair-scheduler';

// A position's executions that can start now, in arrival order ((created_at, id): created_at is the arrival stamp,
// see arrival-clock.ts, and id settles two processes' equal stamps as claimNext does), through the open-executions
// index. Rows at or after `before` are left for later: an insert stamped earlier may not have committed yet, and a
// later alert must not overtake it.
const NEXT_PENDING_SQL = `select id, correlation_id from executions
  where strategy_id = ? and symbol = ? and mode = ? and status = 'PENDING'
    and (lease_until is null or lease_until < now()) and (next_attempt_at is null or next_attempt_at <= now())
    and created_at < coalesce(?::timestamptz, 'infinity')
  order by created_at, id limit ?`;

export async function nextPending(sql: Sql, lane: Lane, limit: number, before: string | null): Promise<Work[]> {
  const rows = await sql.query<{ id: string; correlation_id: string }>(NEXT_PENDING_SQL, [
    lane.strategyId,
    lane.symbol,
    lane.mode,
    before,
    limit,
  ]);
  return rows.map((r) => ({ id: r.id, correlationId: r.correlation_id }));
}

const LANE_OF_SQL = 'select strategy_id, user_id, symbol, mode, correlation_id from executions where id = ?';

// Which position an execution queues on (for a retry or a replay, which know only its id)
export async function laneOf(
  sql: Sql,
  id: string,
): Promise<{ strategyId: string; userId: string; symbol: string; mode: string; correlationId: string } | null> {
  const [r] = await sql.query<{
    strategy_id: string;
    user_id: string;
    symbol: string;
    mode: string;
    correlation_id: string;
  }>(LANE_OF_SQL, [id]);
  return r
    ? { strategyId: r.strategy_id, userId: r.user_id, symbol: r.symbol, mode: r.mode, correlationId: r.correlation_id }
    : null;
}

// Positions with executions waiting to start (after a crash, or left by a process that stopped), and how many
const WAITING_SQL = `select strategy_id, user_id, symbol, mode, count(*)::int as waiting from executions
  where status = 'PENDING' and (lease_until is null or lease_until < now()) and (next_attempt_at is null or next_attempt_at <= now())
    and created_at < now() - (? * interval '1 millisecond')
  group by strategy_id, user_id, symbol, mode`;

export async function positionsWaiting(
  sql: Sql,
  graceMs: number,
): Promise<Array<{ strategyId: string; userId: string; symbol: string; mode: string; waiting: number }>> {
  const rows = await sql.query<{ strategy_id: string; user_id: string; symbol: string; mode: string; waiting: number }>(
    WAITING_SQL,
    [graceMs],
  );
  return rows.map((r) => ({
    strategyId: r.strategy_id,
    userId: r.user_id,
    symbol: r.symbol,
    mode: r.mode,
    waiting: r.waiting,
  }));
}
