import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { databaseReadiness } from '../db/database';

// /healthz: the process answers. /readyz: the database answers and the schema is fully migrated.
export function healthRoutes(orm: MikroORM<PostgreSqlDriver>, started: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (_req, res) => {
    // Listening comes before the job runner starts; not ready until start-up has finished
    if (!started()) {
      res.status(503).json({ status: 'starting', checks: { startup: 'in progress' } });
      return;
    }
    const db = await databaseReadiness(orm);
    res.status(db.ok ? 200 : 503).json({ status: db.ok ? 'ready' : 'not_ready', checks: { database: db.ok ? 'ok' : db.detail } });
  });
  return router;
}
