import type { Sql } from '../../db/sql';
import type { PlanLevels, PlanSide, StopOrigin } from './exit-levels';
import type { ExitSpec } from './exit-spec';
import type { StopLevel } from '../risk/stop-level';

// Every statement that writes exit_plans. Changes are conditional on the row's revision (or status), so two
// processes judging the same price, or a replayed fill, change a plan once.

export type PlanRow = {
  id: string;
  strategy_id: string;
  user_id: string;
  entry_execution_id: string;
  alert_id: string;
  correlation_id: string;
  ticker: string;
  symbol: string;
  mode: string;
  side: PlanSide;
  entry_price: string;
  stop_price: string | null;
  stop_origin: StopOrigin | null;
  take_profit_price: string | null;
  trail: StopLevel | null;
  best_price: string;
  breakeven_price: string | null;
  breakeven_done: boolean;
  expires_at: Date | null;
  status: string;
  revision: number;
  exit_reason: string | null;
  exit_attempts: number;
  retry_after: Date | null;
};

const COLUMNS = `id, strategy_id, user_id, entry_execution_id, alert_id, correlation_id, ticker, symbol, mode, side,
  entry_price::text, stop_price::text, stop_origin, take_profit_price::text, trail, best_price::text, breakeven_price::text,
  breakeven_done, expires_at, status, revision, exit_reason, exit_attempts, retry_after`;
// The same columns of the plan aliased p, for the statements that join
const P_COLUMNS = COLUMNS.split(',')
  .map((c) => `p.${c.trim()}`)
  .join(', ');

export const levelsOf = (row: PlanRow): PlanLevels => ({
  side: row.side,
  entryPrice: row.entry_price,
  stopPrice: row.stop_price,
  stopOrigin: row.stop_origin,
  takeProfitPrice: row.take_profit_price,
  trail: row.trail,
  bestPrice: row.best_price,
  breakevenPrice: row.breakeven_price,
  breakevenDone: row.breakeven_done,
  expiresAt: row.expires_at ? new Date(row.expires_at) : null,
});

export type NewPlan = {
  strategyId: string;
  userId: string;
  entryExecutionId: string;
  alertId: string;
  correlationId: string;
  ticker: string;
  symbol: string;
  mode: string;
  spec: ExitSpec;
  levels: PlanLevels;
};

export async function insertPlan(sql: Sql, p: NewPlan): Promise<PlanRow | null> {
  const l = p.levels;
  const [row] = await sql.query<PlanRow>(
    `insert into exit_plans (id, created_at, updated_at, strategy_id, user_id, entry_execution_id, alert_id, correlation_id, ticker,
       symbol, mode, side, entry_price, stop_price, stop_origin, take_profit_price, trail, best_price, breakeven_price, breakeven_done,
       expires_at, spec, status, revision)
     values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, false, ?, ?::jsonb, 'ACTIVE', 0)
     on conflict (entry_execution_id) do nothing
     returning ${COLUMNS}`,
    [
      p.strategyId,
      p.userId,
      p.entryExecutionId,
      p.alertId,
      p.correlationId,
      p.ticker,
      p.symbol,
      p.mode,
      l.side,
      l.entryPrice,
      l.stopPrice,
      l.stopOrigin,
      l.takeProfitPrice,
      l.trail ? JSON.stringify(l.trail) : null,
      l.bestPrice,
      l.breakevenPrice,
      l.expiresAt,
      JSON.stringify(p.spec),
    ],
  );
  return row ?? null;
}

// The plans a price for these strategies' ticker is judged against (a strategy and its fan-out targets: one query)
export const activeForTicker = (sql: Sql, strategyIds: readonly string[], ticker: string) =>
  sql.query<PlanRow>(
    `select ${COLUMNS} from exit_plans where strategy_id = any(?) and ticker = ? and status = 'ACTIVE'
       order by created_at`,
    [strategyIds, ticker],
  );

// The trail or breakeven moved the stop (and the best price seen); false when another process changed it first
export async function saveLevels(sql: Sql, row: PlanRow, l: PlanLevels): Promise<boolean> {
  const written = await sql.query(
    `update exit_plans set stop_price = ?, stop_origin = ?, best_price = ?, breakeven_done = ?, revision = revision + 1,
       updated_at = now()
     where id = ? and revision = ? and status = 'ACTIVE' returning id`,
    [l.stopPrice, l.stopOrigin, l.bestPrice, l.breakevenDone, row.id, row.revision],
  );
  return written.length === 1;
}

// Claims the plan's exit: only the first caller (per revision) gets the attempt's number, the others null
export async function claimTrigger(
  sql: Sql,
  row: PlanRow,
  reason: string,
  price: string | null,
): Promise<number | null> {
  const [written] = await sql.query<{ exit_attempts: number }>(
    `update exit_plans set status = 'TRIGGERED', exit_reason = ?, exit_price = ?, exit_attempts = exit_attempts + 1,
       revision = revision + 1, updated_at = now()
     where id = ? and revision = ? and status = 'ACTIVE' returning exit_attempts`,
    [reason, price, row.id, row.revision],
  );
  return written?.exit_attempts ?? null;
}

// The idempotency key of a plan's attempt: the first keeps the plain exit:<id>
export const exitKey = (planId: string, attempt: number) =>
  attempt > 1 ? `exit:${planId}:${attempt}` : `exit:${planId}`;
const EXIT_KEY_SQL = `'exit:' || p.id || case when p.exit_attempts > 1 then ':' || p.exit_attempts else '' end`;

export const recordExitExecution = (sql: Sql, id: string, executionId: string | null) =>
  sql.query(`update exit_plans set exit_execution_id = ?, updated_at = now() where id = ?`, [executionId, id]);

// Plans of a position that the position no longer matches: flat (every plan) or turned to the other side. A
// triggered plan ends quietly when its exit flattened the position.
export const endPlans = (
  sql: Sql,
  strategyId: string,
  symbol: string,
  mode: string,
  keepSide: PlanSide | null,
  reason: string,
) =>
  sql.query<PlanRow>(
    `update exit_plans set status = 'ENDED', end_reason = ?, ended_at = now(), revision = revision + 1, updated_at = now()
     where strategy_id = ? and symbol = ? and mode = ? and status in ('ACTIVE', 'TRIGGERED')
       and (?::text is null or side <> ?::text)
     returning ${COLUMNS}`,
    [reason, strategyId, symbol, mode, keepSide, keepSide],
  );

// A new entry on the same side replaces the plan before it: one plan guards a position
export const replacePlans = (sql: Sql, strategyId: string, symbol: string, mode: string, exceptId: string) =>
  sql.query<PlanRow>(
    `update exit_plans set status = 'ENDED', end_reason = 'replaced', ended_at = now(), revision = revision + 1, updated_at = now()
     where strategy_id = ? and symbol = ? and mode = ? and status = 'ACTIVE' and id <> ?
     returning ${COLUMNS}`,
    [strategyId, symbol, mode, exceptId],
  );

export const expiredPlans = (sql: Sql) =>
  sql.query<PlanRow>(
    `select ${COLUMNS} from exit_plans where status = 'ACTIVE' and expires_at <= now()
       and (retry_after is null or retry_after <= now()) order by expires_at limit 200`,
  );

// Active plans whose position is flat or on the other side: a fill event this process never heard (a crash
// between the fill's commit and its event) still ends them
export const strandedPlans = (sql: Sql) =>
  sql.query<PlanRow>(
    `select ${P_COLUMNS} from exit_plans p
     left join positions pos on pos.strategy_id = p.strategy_id and pos.symbol = p.symbol and pos.mode = p.mode
     where p.status in ('ACTIVE', 'TRIGGERED')
       and (coalesce(pos.qty, 0) = 0 or (p.side = 'LONG') <> (pos.qty > 0))
     limit 200`,
  );

// EXIT_PLAN tells the plan's story; an ERROR (notified) says a refused exit left the position unguarded for a while
export type PlanEvent = { row: PlanRow; type?: 'EXIT_PLAN' | 'ERROR'; payload: Record<string, unknown> };

// Plan events go on the entry's execution (type EXIT_PLAN), so its page tells the plan's story
export const insertPlanEvents = (sql: Sql, events: PlanEvent[]) =>
  sql.query<{
    id: string;
    execution_id: string;
    alert_id: string;
    strategy_id: string;
    correlation_id: string;
    type: string;
    at: Date;
    payload: unknown;
  }>(
    `insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
     select gen_random_uuid(), now(), now(), e.execution_id, e.alert_id, e.strategy_id, e.type, now() + e.ord * interval '1 microsecond',
            e.correlation_id, e.payload
     from jsonb_to_recordset(?::jsonb) as e(ord int, type text, execution_id uuid, alert_id uuid, strategy_id uuid, correlation_id uuid, payload jsonb)
     returning id, execution_id, alert_id, strategy_id, correlation_id, type, at, payload`,
    [
      JSON.stringify(
        events.map((e, ord) => ({
          ord,
          type: e.type ?? 'EXIT_PLAN',
          execution_id: e.row.entry_execution_id,
          alert_id: e.row.alert_id,
          strategy_id: e.row.strategy_id,
          correlation_id: e.row.correlation_id,
          payload: e.payload,
        })),
      ),
    ],
  );

// Exits claimed over half a minute ago whose EXIT alert was never recorded (the process stopped in between)
export const unsentTriggers = (sql: Sql) =>
  sql.query<PlanRow>(
    `select ${COLUMNS} from exit_plans p where status = 'TRIGGERED' and exit_execution_id is null
       and updated_at < now() - interval '30 seconds'
       and not exists (select 1 from alerts a where a.strategy_id = p.strategy_id and a.idempotency_key = ${EXIT_KEY_SQL})
     limit 200`,
  );

// At start: the LIVE plans whose broker price feed is resumed
export const activeLivePlans = (sql: Sql) =>
  sql.query<PlanRow>(`select ${COLUMNS} from exit_plans where status = 'ACTIVE' and mode = 'LIVE' limit 5000`);

export type UnplannedEntry = {
  id: string;
  strategy_id: string;
  user_id: string;
  alert_id: string;
  correlation_id: string;
  symbol: string;
  mode: string;
  side: string;
  avg_fill_price: string;
  exits: ExitSpec;
  ticker: string | null;
  filled_at: Date;
};

// Entries that should guard an open position but have no plan: the fill committed and the process stopped (or
// failed) before the plan's insert. Per open position, the last entry asking for exits on the position's side
// whose completing fill left the position on that side; skipped when it already has a plan (made, replaced or
// ended: handled) or when a later fill took the position to flat or through it (that life is over). This is what
// the fill's listener would have planned; the plan's unique entry keeps it to one plan per entry.
export const unplannedEntries = (sql: Sql) =>
  sql.query<UnplannedEntry>(
    `select c.id, p.strategy_id, c.user_id, c.alert_id, c.correlation_id, p.symbol, p.mode, c.side, c.avg_fill_price,
       c.exits, c.ticker, c.filled_at
     from positions p
     -- Only executions made around the position's current life are read (the strategy's index, not its history):
     -- an order that fills in this life was created at most a few days before it opened
     cross join lateral (select coalesce((p.open_trip->>'openedAt')::timestamptz - interval '7 days', '-infinity') as since) b
     cross join lateral (
       select x.id, x.user_id, x.alert_id, x.correlation_id, coalesce(x.plan->>'side', x.side) as side,
         x.avg_fill_price::text, a.payload->'exits' as exits, a.payload->>'exitTicker' as ticker, ev.at as filled_at,
         (ev.payload->'position'->>'qty')::numeric as position_qty, x.broker_request->'bracket' is not null as native
       from executions x
       join alerts a on a.id = x.alert_id
       join execution_events ev on ev.execution_id = x.id and ev.type = 'ORDER_FILLED' and ev.payload->>'complete' = 'true'
       where x.strategy_id = p.strategy_id and x.created_at >= b.since and x.symbol = p.symbol and x.mode = p.mode
         and x.status = 'FILLED'
         and x.source <> 'exit' and x.avg_fill_price is not null
         and jsonb_typeof(a.payload->'exits') = 'object' and a.payload->'exits' <> '{}'::jsonb
         and coalesce(x.plan->>'side', x.side) = case when p.qty > 0 then 'BUY' else 'SELL' end
       order by ev.at desc limit 1
     ) c
     where p.qty <> 0 and (c.position_qty > 0) = (p.qty > 0) and not c.native
       and not exists (select 1 from exit_plans pl where pl.entry_execution_id = c.id)
       and not exists (
         select 1 from executions y join execution_events f on f.execution_id = y.id and f.type = 'ORDER_FILLED'
         where y.strategy_id = p.strategy_id and y.created_at >= b.since and y.symbol = p.symbol and y.mode = p.mode
           and f.at > c.filled_at
           and ((f.payload->'position'->>'qty')::numeric = 0 or ((f.payload->'position'->>'qty')::numeric > 0) <> (p.qty > 0)))
     limit 200`,
  );

export type RefusedExit = PlanRow & { refusal: string };

// Triggered plans whose exit attempt was refused for good: its alert rejected at the door (kill switch, account
// disabled...) or its order ended without a fill of the whole position (broker rejection, cancelled, retries
// exhausted), while the position is still open on the plan's side. Only for that exit execution when given (its event
// was just heard); otherwise the sweep's catch-up of refusals a crash or another process left.
export const refusedExits = (sql: Sql, exit: { executionId: string; strategyId: string } | null = null) =>
  sql.query<RefusedExit>(
    `select ${P_COLUMNS}, coalesce(x.reject_reason, a.reject_reason, lower(x.status), 'refused') as refusal
     from exit_plans p
     join positions pos on pos.strategy_id = p.strategy_id and pos.symbol = p.symbol and pos.mode = p.mode
     left join executions x on x.id = p.exit_execution_id
     left join alerts a on p.exit_execution_id is null and a.strategy_id = p.strategy_id and a.idempotency_key = ${EXIT_KEY_SQL}
     where p.status = 'TRIGGERED' and (?::uuid is null or (p.exit_execution_id = ?::uuid and p.strategy_id = ?::uuid))
       and pos.qty <> 0 and (p.side = 'LONG') = (pos.qty > 0)
       and (x.status in ('REJECTED', 'CANCELLED', 'FAILED') or a.status = 'REJECTED')
     limit 200`,
    [exit?.executionId ?? null, exit?.executionId ?? null, exit?.strategyId ?? null],
  );

// A refused attempt arms the plan again (a crossing price after the backoff retries with the next key: 15 s after the
// first refusal, doubling to at most 5 minutes); guarded by the attempt, so a late refusal of an older attempt
// cannot re-arm a newer one
export const rearmPlan = async (sql: Sql, id: string, attempt: number) =>
  (
    await sql.query<PlanRow>(
      `update exit_plans set status = 'ACTIVE', exit_execution_id = null, revision = revision + 1, updated_at = now(),
         retry_after = now() + least(interval '5 minutes', interval '15 seconds' * power(2, exit_attempts - 1))
       where id = ? and status = 'TRIGGERED' and exit_attempts = ? returning ${COLUMNS}`,
      [id, attempt],
    )
  )[0] ?? null;
