import type { Sql } from '../../db/sql';

// A PRICE alert is recorded like any alert (unique per strategy and idempotency key, so TradingView's resend is a
// duplicate) but has no execution: it is PROCESSED at once and never becomes an order.
export async function insertPriceAlert(
  sql: Sql,
  a: {
    strategyId: string;
    idempotencyKey: string;
    rawBody: string;
    payload: unknown;
    correlationId: string;
    sourceIp: string;
  },
): Promise<{ inserted: boolean; alertId: string }> {
  const [row] = await sql.query<{ id: string }>(
    `insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status,
       correlation_id, source_ip, processed_at)
     values (gen_random_uuid(), now(), now(), ?, ?, ?, ?::jsonb, now(), 'PROCESSED', ?, ?, now())
     on conflict (strategy_id, idempotency_key) do nothing returning id`,
    [a.strategyId, a.idempotencyKey, a.rawBody, JSON.stringify(a.payload), a.correlationId, a.sourceIp],
  );
  if (row) return { inserted: true, alertId: row.id };
  const [first] = await sql.query<{ id: string }>(
    `select id from alerts where strategy_id = ? and idempotency_key = ?`,
    [a.strategyId, a.idempotencyKey],
  );
  return { inserted: false, alertId: first.id };
}
