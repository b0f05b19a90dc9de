import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/sql';
import { ExecutionEventType } from '../../shared/enums';
import type { ExecutionEventMessage } from '../executions/execution-event.types';
import { positionKey } from '../positions/position-key';
import { arrivals } from './arrival-clock';

// Who raised the alert: TradingView, the dashboard's test button, the trader closing a position from the
// dashboard, the intraday square-off, or an exit plan's stop, target or time (exits/)
export type AlertSource = 'alert' | 'test_alert' | 'close' | 'square_off' | 'exit';

export type NewExecution = {
  id: string;
  clientOrderId: string;
  symbol: string;
  exchangeSegment: string;
  securityId: string | null;
  lotSize: string | null;
  tickSize: string | null;
  side: string;
  orderType: string;
  productType: string;
  qty: string;
  price: string | null;
  triggerPrice: string | null;
  mode: string;
  broker: string;
  status: string;
  rejectReason: string | null;
  lastError: string | null;
  source?: AlertSource;
  /** TradingView's position after the alert's order, and its size in order units (see Execution.marketPosition) */
  marketPosition?: string | null;
  marketPositionQty?: string | null;
  /** Where the order goes (paper: the strategy's paper account); null: the user's account at `broker`, recorded when placed */
  brokerAccountId: string | null;
  /** How the quantity was sized (risk/sizing.ts) and TradingView's position before the order (risk/position-check.ts) */
  sizing?: unknown;
  positionCheck?: unknown;
};

export type NewAlert = {
  strategyId: string;
  userId: string;
  idempotencyKey: string;
  rawBody: string;
  payload: unknown;
  correlationId: string;
  sourceIp: string;
  execution: NewExecution;
  events: Array<{ type: ExecutionEventType; payload: Record<string, unknown> }>;
};

export type InsertResult =
  { inserted: true; alertId: string; events: ExecutionEventMessage[] } | { inserted: false; alertId: string };

// Alerts, their executions and first events, for any number of alerts in ONE statement: atomic without
// BEGIN/COMMIT round trips, and under load one commit serves a whole batch of webhook requests (see
// MicroBatcher). The unique (strategy, idempotency_key) index decides between concurrent deliveries: ON
// CONFLICT DO NOTHING makes the loser wait for the winner's commit, then insert nothing.
const INSERT_SQL = `
with input as (
  select * from jsonb_to_recordset(?::jsonb) as i(
    ord int, strategy_id uuid, user_id uuid, idempotency_key text, raw_body text, payload jsonb, alert_status text, correlation_id uuid,
    source_ip text, reject_reason text, last_error text, processed boolean, execution_id uuid, client_order_id text, symbol text,
    exchange_segment text, security_id text, lot_size numeric, tick_size numeric, side text, order_type text, product_type text, qty numeric,
    price numeric, trigger_price numeric, mode text, broker text, status text, source text, market_position text, market_position_qty numeric,
    events jsonb, arrived_at timestamptz, broker_account_id text, sizing jsonb, position_check jsonb)
), new_alert as (
  insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status, correlation_id, source_ip,
                      reject_reason, error_text, processed_at)
  select gen_random_uuid(), now(), now(), strategy_id, idempotency_key, raw_body, payload, now(), alert_status, correlation_id, source_ip,
         reject_reason, last_error, case when processed then now() end
  from input order by ord
  on conflict (strategy_id, idempotency_key) do nothing
  returning id, strategy_id, idempotency_key
), stored as (
  select i.*, a.id as alert_id from input i join new_alert a on a.strategy_id = i.strategy_id and a.idempotency_key = i.idempotency_key
), new_execution as (
  insert into executions (id, created_at, updated_at, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
                          security_id, lot_size, tick_size, side, order_type, product_type, qty, price, trigger_price, mode, broker, status,
                          reject_reason, last_error, attempts, filled_qty, charges, source, market_position, market_position_qty, requested_qty,
                          broker_account_id, sizing, position_check)
  select execution_id, arrived_at, now(), strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
         security_id, lot_size, tick_size, side, order_type, product_type, qty, price, trigger_price, mode, broker, status,
         reject_reason, last_error, 0, 0, 0, source, market_position, market_position_qty, qty, broker_account_id, sizing, position_check
  from stored order by ord
  returning id
), new_events as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select ev.id, now(), now(), s.execution_id, s.alert_id, s.strategy_id, ev.type, clock_timestamp() + ev.ord * interval '1 microsecond',
         s.correlation_id, ev.payload
  from new_execution e join stored s on s.execution_id = e.id cross join jsonb_to_recordset(s.events) as ev(id uuid, ord int, type text, payload jsonb)
  returning id, execution_id, type, at, payload
)
select s.ord, s.alert_id,
       (select coalesce(json_agg(json_build_object('id', ev.id, 'type', ev.type, 'at', ev.at, 'payload', ev.payload) order by ev.at), '[]')
        from new_events ev where ev.execution_id = s.execution_id) as events
from stored s`;

// A duplicate's answer names the first delivery's alert: read after the insert waited for that one to commit.
// One lookup per key (a lateral with limit 1 is not flattened into a join): as a join, a generic plan made while
// alerts was small read every alert for each batch of duplicates.
const EXISTING_SQL = `select k.strategy_id, k.idempotency_key, a.id from unnest(?::uuid[], ?::text[]) as k(strategy_id, idempotency_key)
  cross join lateral (select a.id from alerts a where a.strategy_id = k.strategy_id and a.idempotency_key = k.idempotency_key limit 1) a`;

type StoredRow = {
  ord: number;
  alert_id: string;
  events: Array<{ id: string; type: ExecutionEventType; at: string; payload: unknown }>;
};

const idempotencyKeyOf = (strategyId: string, key: string) => `${strategyId}\u0000${key}`;
const keyOf = (a: NewAlert) => idempotencyKeyOf(a.strategyId, a.idempotencyKey);

function toInput(a: NewAlert, ord: number, arrivedAt: string) {
  const e = a.execution;
  const rejected = e.status === 'REJECTED';
  return {
    ord,
    strategy_id: a.strategyId,
    user_id: a.userId,
    idempotency_key: a.idempotencyKey,
    raw_body: a.rawBody,
    payload: a.payload ?? null,
    alert_status: rejected ? 'REJECTED' : 'RECEIVED',
    correlation_id: a.correlationId,
    source_ip: a.sourceIp,
    reject_reason: e.rejectReason,
    last_error: e.lastError,
    processed: rejected,
    execution_id: e.id,
    client_order_id: e.clientOrderId,
    symbol: e.symbol,
    exchange_segment: e.exchangeSegment,
    security_id: e.securityId,
    lot_size: e.lotSize,
    tick_size: e.tickSize,
    side: e.side,
    order_type: e.orderType,
    product_type: e.productType,
    qty: e.qty,
    price: e.price,
    trigger_price: e.triggerPrice,
    mode: e.mode,
    broker: e.broker,
    status: e.status,
    source: e.source ?? 'alert',
    market_position: e.marketPosition ?? null,
    market_position_qty: e.marketPositionQty ?? null,
    arrived_at: arrivedAt,
    broker_account_id: e.brokerAccountId,
    sizing: e.sizing ?? null,
    position_check: e.positionCheck ?? null,
    events: a.events.map((ev, i) => ({ id: randomUUID(), ord: i, type: ev.type, payload: ev.payload })),
  };
}

// Answers each alert in order. Within one batch a repeated (strategy, key) is a duplicate of its first copy;
// rows go in key order so two concurrent batches take their unique-index locks in the same order (no deadlock).
export async function insertAlertsWithExecutions(db: Sql, alerts: NewAlert[]): Promise<InsertResult[]> {
  const firstOf = new Map<string, NewAlert>();
  for (const a of alerts) if (!firstOf.has(keyOf(a))) firstOf.set(keyOf(a), a);
  // Stamped in arrival order before rows are sorted by key
  const stamps = arrivals.stamp(firstOf.size);
  const arrivedAt = new Map([...firstOf.values()].map((a, i) => [a, stamps[i]]));
  const unique = [...firstOf.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, a]) => a);
  const positions = new Set(unique.map((a) => positionKey(a.strategyId, a.execution.symbol, a.execution.mode)));
  const rows = await arrivals.track(
    stamps[0],
    () => db.query<StoredRow>(INSERT_SQL, [JSON.stringify(unique.map((a, i) => toInput(a, i, arrivedAt.get(a)!)))]),
    positions,
  );
  const results = new Map<NewAlert, InsertResult>();
  for (const row of rows) {
    const a = unique[row.ord];
    results.set(a, {
      inserted: true,
      alertId: row.alert_id,
      events: row.events.map((ev) => ({
        id: ev.id,
        type: ev.type,
        executionId: a.execution.id,
        alertId: row.alert_id,
        correlationId: a.correlationId,
        strategyId: a.strategyId,
        at: new Date(ev.at),
        payload: ev.payload ?? null,
        userId: a.userId,
      })),
    });
  }
  const lost = unique.filter((a) => !results.has(a));
  if (lost.length > 0) {
    const existing = await db.query<{ strategy_id: string; idempotency_key: string; id: string }>(EXISTING_SQL, [
      lost.map((a) => a.strategyId),
      lost.map((a) => a.idempotencyKey),
    ]);
    const byKey = new Map(existing.map((r) => [idempotencyKeyOf(r.strategy_id, r.idempotency_key), r.id]));
    for (const a of lost) {
      const alertId = byKey.get(keyOf(a));
      // Only if the first delivery's alert was deleted (its strategy with it) between the two statements
      if (!alertId)
        throw new Error(`alert ${a.idempotencyKey} of strategy ${a.strategyId} conflicted but no longer exists`);
      results.set(a, { inserted: false, alertId });
    }
  }
  return alerts.map((a) => {
    const first = firstOf.get(keyOf(a))!;
    const result = results.get(first)!;
    return first === a ? result : { inserted: false, alertId: result.alertId };
  });
}

export async function insertAlertWithExecution(db: Sql, alert: NewAlert): Promise<InsertResult> {
  const [result] = await insertAlertsWithExecutions(db, [alert]);
  return result;
}
