import { EntityManager } from '@mikro-orm/postgresql';

// One conditional UPDATE decides who works on an execution: in-process first attempt, an Agenda retry and the
// recovery sweep may all try at once; only the holder of an unexpired lease proceeds.
export async function claimExecution(em: EntityManager, id: string, leaseMs: number): Promise<number | null> {
  const rows = await em.getConnection().execute<{ attempts: number }[]>(
    `update executions set lease_until = now() + (? * interval '1 millisecond'), attempts = attempts + 1, updated_at = now()
     where id = ? and status = 'PENDING' and (lease_until is null or lease_until < now())
       and (next_attempt_at is null or next_attempt_at <= now() + interval '50 milliseconds')
     returning attempts`,
    [leaseMs, id],
  );
  return rows[0]?.attempts ?? null;
}

// Ends an attempt in one statement: the lease goes, and the alert is marked done once its execution has left
// PENDING (placed, filled, rejected or dead-lettered).
export async function finishAttempt(em: EntityManager, executionId: string): Promise<void> {
  await em.getConnection().execute(
    `with released as (update executions set lease_until = null where id = ? returning id, alert_id, status, reject_reason, last_error)
     update alerts a set processed_at = now(), status = case when e.status in ('REJECTED', 'FAILED') then 'REJECTED' else 'PROCESSED' end,
       reject_reason = coalesce(a.reject_reason, e.reject_reason), error_text = coalesce(a.error_text, e.last_error)
     from released e where a.id = e.alert_id and e.status <> 'PENDING' and a.processed_at is null`,
    [executionId],
  );
}
