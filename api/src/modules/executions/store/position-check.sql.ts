import type { Sql } from '../../../db/sql';
import { ExecutionEventType } from '../../../shared/enums';

export type MismatchRow = {
  id: string;
  alert_id: string;
  strategy_id: string;
  correlation_id: string;
  user_id: string;
  at: Date;
};

// A position mismatch (risk/position-check.ts) written with its ERROR event in one statement; the status is not touched
export async function recordPositionMismatch(
  sql: Sql,
  executionId: string,
  check: object,
  eventId: string,
  payload: object,
): Promise<MismatchRow | undefined> {
  const [row] = await sql.query<MismatchRow>(
    `with e as (update executions set position_check = ?::jsonb, updated_at = now() where id = ?
                returning id, alert_id, strategy_id, correlation_id, user_id)
     insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
     select ?::uuid, now(), now(), e.id, e.alert_id, e.strategy_id, ?, clock_timestamp(), e.correlation_id, ?::jsonb from e
     returning execution_id as id, alert_id, strategy_id, correlation_id, (select user_id from e) as user_id, at`,
    [JSON.stringify(check), executionId, eventId, ExecutionEventType.ERROR, JSON.stringify(payload)],
  );
  return row;
}
