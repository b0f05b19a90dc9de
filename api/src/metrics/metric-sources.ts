import type { MikroORM } from '@mikro-orm/postgresql';
import type { Agenda } from 'agenda';

// Orders accepted but not yet placed (PENDING), per tenant, counted in the database at scrape time: right
// across processes and restarts; the executor may swap in its in-memory queues (metrics.setQueueDepthSource).
export function databaseQueueDepth(orm: MikroORM) {
  return async (): Promise<Map<string, number>> => {
    const rows = await orm.em
      .getConnection()
      .execute<Array<{ user_id: string; depth: string }>>(
        `select user_id, count(*) as depth from executions where status = 'PENDING' group by user_id`,
      );
    return new Map(rows.map((r) => [r.user_id, Number(r.depth)]));
  };
}

// Per job name, how far past its run time the oldest job waits that no process has picked up yet.
// Asked through Agenda's own query API, so it reads the PostgreSQL and the MongoDB backend alike.
export function agendaJobLag(agenda: Agenda) {
  return async (): Promise<Map<string, number>> => {
    const now = Date.now();
    const lags = new Map<string, number>(Object.keys(agenda.definitions).map((name) => [name, 0]));
    const { jobs } = await agenda.queryJobs({ includeDisabled: false });
    for (const job of jobs) {
      if (job.lockedAt || !job.nextRunAt) continue;
      const lag = (now - new Date(job.nextRunAt).getTime()) / 1000;
      if (lag > 0) lags.set(job.name, Math.max(lags.get(job.name) ?? 0, lag));
    }
    return lags;
  };
}
