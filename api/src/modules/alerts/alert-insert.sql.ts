import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/sql';
import { ExecutionEventType } from '../../shared/enums';
import type { ExecutionEventMessage } from '../executions/execution-event.types';

export type NewExecution = {
  id: string; clientOrderId: string; symbol: string; exchangeSegment: string; securityId: string | null; lotSize: string | null;
  tickSize: string | null; side: string; orderType: string; productType: string; qty: string; price: string | null;
  triggerPrice: string | null; mode: string; broker: string; status: string; rejectReason: string | null; lastError: string | null;
  source?: 'alert' | 'square_off';
};

export type NewAlert = {
  strategyId: string; userId: string; idempotencyKey: string; rawBody: string; payload: unknown; correlationId: string; sourceIp: string;
  execution: NewExecution; events: Array<{ type: ExecutionEventType; payload: Record<string, unknown> }>;
};

export type InsertResult = { inserted: true; alertId: string; events: ExecutionEventMessage[] } | { inserted: false; alertId: string };

// The alert, its execution and its first events in ONE statement: atomic without BEGIN/COMMIT round trips, and
// the unique (strategy, idempotency_key) index decides between concurrent deliveries (ON CONFLICT DO NOTHING
// makes the loser wait for the winner's commit, then insert nothing).
const INSERT_SQL = `
with new_alert as (
  insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status, correlation_id, source_ip,
                      reject_reason, error_text, processed_at)
  values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, now(), ?, ?, ?, ?, ?, case when ? then now() end)
  on conflict (strategy_id, idempotency_key) do nothing
  returning id
), new_execution as (
  insert into executions (id, created_at, updated_at, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
                          security_id, lot_size, tick_size, side, order_type, product_type, qty, price, trigger_price, mode, broker, status,
                          reject_reason, last_error, attempts, filled_qty, charges, source)
  select ?, now(), now(), ?, ?, new_alert.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ? from new_alert
  returning id, alert_id
), new_events as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select ev.id, now(), now(), e.id, e.alert_id, ?, ev.type, clock_timestamp() + ev.ord * interval '1 microsecond', ?, ev.payload
  from new_execution e cross join jsonb_to_recordset(?::jsonb) as ev(id uuid, ord int, type text, payload jsonb)
  returning id, type, at, payload
)
select (select id from new_alert) as alert_id,
       (select coalesce(json_agg(json_build_object('id', id, 'type', type, 'at', at, 'payload', payload) order by at), '[]') from new_events) as events`;

export async function insertAlertWithExecution(db: Sql, a: NewAlert): Promise<InsertResult> {
  const e = a.execution;
  const rejected = e.status === 'REJECTED';
  const events = a.events.map((ev, ord) => ({ id: randomUUID(), ord, type: ev.type, payload: ev.payload }));
  const [row] = await db.query<{ alert_id: string | null; events: Array<{ id: string; type: ExecutionEventType; at: string; payload: unknown }> }>(INSERT_SQL, [
    a.strategyId, a.idempotencyKey, a.rawBody, JSON.stringify(a.payload), rejected ? 'REJECTED' : 'RECEIVED', a.correlationId, a.sourceIp,
    e.rejectReason, e.lastError, rejected,
    e.id, a.strategyId, a.userId, a.correlationId, e.clientOrderId, e.symbol, e.exchangeSegment, e.securityId, e.lotSize, e.tickSize, e.side,
    e.orderType, e.productType, e.qty, e.price, e.triggerPrice, e.mode, e.broker, e.status, e.rejectReason, e.lastError, e.source ?? 'alert',
    a.strategyId, a.correlationId, JSON.stringify(events),
  ]);
  if (!row.alert_id) {
    const [existing] = await db.query<{ id: string }>('select id from alerts where strategy_id = ? and idempotency_key = ?', [a.strategyId, a.idempotencyKey]);
    return { inserted: false, alertId: existing.id };
  }
  return {
    inserted: true,
    alertId: row.alert_id,
    events: row.events.map((ev) => ({
      id: ev.id, type: ev.type, executionId: e.id, alertId: row.alert_id!, correlationId: a.correlationId, strategyId: a.strategyId,
      at: new Date(ev.at), payload: ev.payload ?? null, userId: a.userId,
    })),
  };
}
