import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { DatabaseReadiness } from '../db/readiness';

// /healthz: the process answers. /readyz: start-up (migrations included) has finished and the database answers.
export function healthRoutes(orm: MikroORM<PostgreSqlDriver>, started: () => boolean): Router {
  const router = Router();
  const database = new DatabaseReadiness(orm);
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // Listening comes before the job runner starts; not ready until start-up has finished
    if (!started()) {
      res.status(503).json({ status: 'starting', checks: { startup: 'in progress' } });
      return;
    }
    const ok = await database.check();
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ready' : 'not_ready', checks: { database: ok ? 'ok' : 'not ready' } });
  });
  return router;
}
