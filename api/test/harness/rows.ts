import type { Sql } from '../../src/db/sql';

// Rows written straight into the database, for tests about reading them back (paging, rights, query cost).

// `count` FILLED paper executions of one strategy (with their alerts), all in ONE statement: every row gets the
// same created_at (one now() per statement), as a burst of alerts committed together does.
export async function insertExecutions(
  sql: Sql,
  strategyId: string,
  userId: string,
  count: number,
  eventsEach = 0,
): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `with a as (
       insert into alerts (id, strategy_id, idempotency_key, raw_body, received_at, status, correlation_id)
       select gen_random_uuid(), ?, 'bulk-' || gen_random_uuid(), '{}', now(), 'PROCESSED', gen_random_uuid()
       from generate_series(1, ?::int)
       returning id, correlation_id
     ), e as (
       insert into executions (id, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment, side,
         product_type, qty, mode, broker, status, filled_qty)
       select gen_random_uuid(), ?, ?, a.id, a.correlation_id, replace(gen_random_uuid()::text, '-', ''), 'RELIANCE', 'NSE_EQ', 'BUY',
         'INTRADAY', 1, 'PAPER', 'paper', 'FILLED', 1
       from a
       returning id, alert_id, correlation_id
     ), ev as (
       insert into execution_events (id, execution_id, alert_id, strategy_id, type, at, correlation_id)
       select gen_random_uuid(), e.id, e.alert_id, ?, 'ORDER_FILLED', now(), e.correlation_id
       from e, generate_series(1, ?::int)
     )
     select id from e`,
    [strategyId, count, strategyId, userId, strategyId, eventsEach],
  );
  return rows.map((r) => r.id);
}

// A dead letter for one of the user's executions
export async function insertDeadLetter(sql: Sql, executionId: string, userId: string): Promise<string> {
  const [row] = await sql.query<{ id: string }>(
    `insert into dead_letters (id, execution_id, user_id, reason, attempts) values (gen_random_uuid(), ?, ?, 'broker_unavailable', 5) returning id`,
    [executionId, userId],
  );
  return row.id;
}
