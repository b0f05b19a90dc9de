// The legs of an execution split at the exchange freeze limit (execution-leg.entity.ts): the only writer of
// execution_legs, and of what a leg does to its execution beyond the broker-update path (a lease to resume unsent
// legs, the reason a leg was refused).
import type { Sql } from '../../../db/sql';

export type LegStatus = 'NEW' | 'PLACED' | 'PARTIALLY_FILLED' | 'FILLED' | 'REJECTED' | 'CANCELLED';
export const LEG_DONE: ReadonlySet<string> = new Set<LegStatus>(['FILLED', 'REJECTED', 'CANCELLED']);

export type LegRow = {
  id: string;
  leg: number;
  clientOrderId: string;
  brokerOrderId: string | null;
  qty: string;
  status: LegStatus;
  filledQty: string;
  avgFillPrice: string | null;
  lastError: string | null;
};

// clientOrderIds of legs: `<execution's>-L<n>` (the core's own legs) and `<execution's>-S` (every leg of one
// broker-sliced order). Ours are 24 characters, so both stay inside the 30 brokers allow (Dhan's correlationId).
export const legClientOrderId = (base: string, leg: number): string => `${base}-L${leg}`;
export const slicedClientOrderId = (base: string): string => `${base}-S`;
const LEG_ID = /^(.+)-(?:L\d{1,3}|S)$/;
/** Whether an order id may be a leg's; the legs table decides (legOwner): an execution's own id can end like one. */
export const maybeLegId = (clientOrderId: string): boolean => LEG_ID.test(clientOrderId);

const COLUMNS = `id, leg, client_order_id as "clientOrderId", broker_order_id as "brokerOrderId", qty::text, status,
  filled_qty::text as "filledQty", avg_fill_price::text as "avgFillPrice", last_error as "lastError"`;

export async function legsOf(sql: Sql, executionId: string): Promise<LegRow[]> {
  return sql.query<LegRow>(`select ${COLUMNS} from execution_legs where execution_id = ? order by leg`, [executionId]);
}

// The core's legs, written before the first is sent; a retry finds them as they are (the split is decided once)
export async function insertLegs(
  sql: Sql,
  executionId: string,
  legs: Array<{ clientOrderId: string; qty: string }>,
): Promise<LegRow[]> {
  await sql.query(
    `insert into execution_legs (id, created_at, updated_at, execution_id, leg, client_order_id, qty, status)
     select gen_random_uuid(), now(), now(), ?, l.leg, l.client_order_id, l.qty, 'NEW'
     from jsonb_to_recordset(?::jsonb) as l(leg int, client_order_id text, qty numeric)
     on conflict (execution_id, leg) do nothing`,
    [executionId, JSON.stringify(legs.map((l, i) => ({ leg: i + 1, client_order_id: l.clientOrderId, qty: l.qty })))],
  );
  return legsOf(sql, executionId);
}

// The legs a broker made of one sliced order, numbered in its answer's order; known ones are left alone
export async function insertSlicedLegs(
  sql: Sql,
  executionId: string,
  clientOrderId: string,
  legs: Array<{ brokerOrderId: string; qty: string }>,
): Promise<void> {
  await sql.query(
    `insert into execution_legs (id, created_at, updated_at, execution_id, leg, client_order_id, broker_order_id, qty, status)
     select gen_random_uuid(), now(), now(), ?, coalesce((select max(leg) from execution_legs where execution_id = ?), 0) + row_number() over (),
       ?, l.broker_order_id, l.qty, 'PLACED'
     from jsonb_to_recordset(?::jsonb) as l(broker_order_id text, qty numeric)
     where not exists (select 1 from execution_legs x where x.execution_id = ? and x.broker_order_id = l.broker_order_id)`,
    [
      executionId,
      executionId,
      clientOrderId,
      JSON.stringify(legs.map((l) => ({ broker_order_id: l.brokerOrderId, qty: l.qty }))),
      executionId,
    ],
  );
}

/** The execution a leg's order belongs to (its own clientOrderId), or null when the id is no leg of ours. */
export async function legOwner(
  sql: Sql,
  clientOrderId: string,
): Promise<{ executionId: string; clientOrderId: string } | null> {
  const [row] = await sql.query<{ execution_id: string; client_order_id: string }>(
    `select l.execution_id, e.client_order_id from execution_legs l join executions e on e.id = l.execution_id
     where l.client_order_id = ? limit 1`,
    [clientOrderId],
  );
  return row ? { executionId: row.execution_id, clientOrderId: row.client_order_id } : null;
}

// A broker's report on one leg: its status only moves forward (a terminal one stays), its filled quantity only
// grows, its broker order id is kept once known. A sliced leg is found by its broker order id (they share the
// clientOrderId), a core leg by its clientOrderId. Returns every leg of the execution after the change.
export async function recordLegOrder(
  sql: Sql,
  executionId: string,
  report: {
    clientOrderId: string;
    brokerOrderId?: string;
    status: LegStatus;
    filledQty: string;
    avgFillPrice?: string;
    error?: string;
  },
): Promise<LegRow[]> {
  await sql.query(
    `update execution_legs l set
       status = case when l.status in ('FILLED', 'REJECTED', 'CANCELLED') then l.status
                     when array_position(array['NEW', 'PLACED', 'PARTIALLY_FILLED'], l.status) >= coalesce(array_position(array['NEW', 'PLACED', 'PARTIALLY_FILLED'], ?::text), 99) then l.status
                     else ? end,
       broker_order_id = coalesce(l.broker_order_id, ?),
       filled_qty = greatest(l.filled_qty, ?::numeric),
       avg_fill_price = case when ?::numeric >= l.filled_qty then coalesce(?::numeric, l.avg_fill_price) else l.avg_fill_price end,
       last_error = coalesce(l.last_error, ?),
       updated_at = now()
     where l.execution_id = ? and l.client_order_id = ?
       and (l.broker_order_id = ? or (l.broker_order_id is null and l.client_order_id not like '%-S'))`,
    [
      report.status,
      report.status,
      report.brokerOrderId ?? null,
      report.filledQty,
      report.filledQty,
      report.avgFillPrice ?? null,
      report.error ?? null,
      executionId,
      report.clientOrderId,
      report.brokerOrderId ?? null,
    ],
  );
  return legsOf(sql, executionId);
}

// Legs that will not be sent (the ones after a leg the broker refused): CANCELLED with the reason
export async function cancelUnsentLegs(sql: Sql, executionId: string, why: string): Promise<void> {
  await sql.query(
    `update execution_legs set status = 'CANCELLED', last_error = ?, updated_at = now() where execution_id = ? and status = 'NEW'`,
    [why, executionId],
  );
}

/**
 * A leg refused or cancelled while others went out: the execution keeps the quantity that filled and says why the
 * rest did not (reject_reason leg_rejected), with an ERROR event; written once per execution. Returns the event.
 */
export async function recordLegFailure(
  sql: Sql,
  executionId: string,
  message: string,
): Promise<{
  id: string;
  at: Date;
  alertId: string;
  strategyId: string;
  userId: string;
  correlationId: string;
} | null> {
  const [row] = await sql.query<{
    id: string;
    at: Date;
    alert_id: string;
    strategy_id: string;
    user_id: string;
    correlation_id: string;
  }>(
    `with marked as (
       update executions set reject_reason = 'leg_rejected', last_error = ?, updated_at = now()
       where id = ? and reject_reason is null
       returning id, alert_id, strategy_id, user_id, correlation_id
     ), ev as (
       insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
       select gen_random_uuid(), now(), now(), m.id, m.alert_id, m.strategy_id, 'ERROR', clock_timestamp(), m.correlation_id,
         jsonb_build_object('code', 'leg_rejected', 'message', ?::text)
       from marked m returning id, at
     )
     select ev.id, ev.at, m.alert_id, m.strategy_id, m.user_id, m.correlation_id from ev cross join marked m`,
    [message, executionId, message],
  );
  return row
    ? {
        id: row.id,
        at: row.at,
        alertId: row.alert_id,
        strategyId: row.strategy_id,
        userId: row.user_id,
        correlationId: row.correlation_id,
      }
    : null;
}

/** Executions with legs still to send that nobody works on (a process died between legs): the recovery sweep's. */
export async function executionsWithUnsentLegs(sql: Sql, graceMs: number): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `select distinct e.id from execution_legs l join executions e on e.id = l.execution_id
     where l.status = 'NEW' and e.status in ('PLACED', 'PARTIALLY_FILLED')
       and (e.lease_until is null or e.lease_until < now()) and l.updated_at < now() - (? * interval '1 millisecond')
     limit 100`,
    [graceMs],
  );
  return rows.map((r) => r.id);
}

// The lease of a placed execution whose remaining legs are about to be sent (as claimExecution's for a PENDING one)
export async function claimLegs(sql: Sql, executionId: string, leaseMs: number): Promise<boolean> {
  const rows = await sql.query(
    `update executions set lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     where id = ? and status in ('PLACED', 'PARTIALLY_FILLED') and (lease_until is null or lease_until < now())
     returning id`,
    [leaseMs, executionId],
  );
  return rows.length > 0;
}

export async function releaseLegs(sql: Sql, executionId: string): Promise<void> {
  await sql.query('update executions set lease_until = null where id = ?', [executionId]);
}

/** The request an execution was sent with (written before its first leg), with how it was split. */
export async function requestOf(
  sql: Sql,
  executionId: string,
): Promise<(Record<string, unknown> & { split?: unknown }) | null> {
  const [row] = await sql.query<{ broker_request: (Record<string, unknown> & { split?: unknown }) | null }>(
    'select broker_request from executions where id = ?',
    [executionId],
  );
  return row?.broker_request ?? null;
}

/**
 * Whether an execution's legs are all over with some refused or cancelled, and every unit they filled is counted on
 * the execution (its fills recorded): then the rest of its quantity will never trade.
 */
export async function legsEndedShort(sql: Sql, executionId: string): Promise<boolean> {
  const [row] = await sql.query<{ short: boolean }>(
    `select coalesce(bool_and(l.status in ('FILLED', 'REJECTED', 'CANCELLED')) and bool_or(l.status in ('REJECTED', 'CANCELLED'))
        and sum(l.filled_qty) > 0 and max(e.filled_qty) >= sum(l.filled_qty) and max(e.status) in ('PLACED', 'PARTIALLY_FILLED'), false) as short
     from execution_legs l join executions e on e.id = l.execution_id where l.execution_id = ?`,
    [executionId],
  );
  return row?.short ?? false;
}
