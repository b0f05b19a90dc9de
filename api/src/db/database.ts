import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/env.schema';
import { dataDir } from '../config/data-dir';
import type { Logger } from '../shared/logger';
import { startEmbeddedPostgres } from './embedded-postgres';
import { ormOptions } from './mikro-orm.config';
import { createSqlPool, SqlPool } from './sql';
import { withAdvisoryLock } from './advisory-lock';

export type Database = {
  orm: MikroORM<PostgreSqlDriver>;
  sql: SqlPool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
};

export const REPO_ROOT = path.resolve(__dirname, '../../..');

// DATABASE_URL wins; without it an embedded PostgreSQL keeps its data under DATA_DIR (default <repo>/.data).
export async function openDatabase(config: AppConfig, logger: Logger): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(dataDir(config), config.EMBEDDED_PG_PORT, logger);
  const url = config.DATABASE_URL ?? embedded!.url;
  const orm = await MikroORM.init<PostgreSqlDriver>(ormOptions(url, config.DB_POOL_MAX));
  // Processes starting together on a fresh database take turns: the first migrates, the others find nothing to do
  const applied = await withAdvisoryLock(url, 'algodatta.migrate', () => orm.getMigrator().up()).catch(
    async (error: unknown) => {
      await orm.close(true);
      await embedded?.stop();
      throw error;
    },
  );
  logger.info('database ready', { migrationsApplied: applied.map((m) => m.name), embedded: Boolean(embedded) });
  // The hot path's own pool (see db/sql.ts), the same size as the ORM's
  const sql = createSqlPool(url, config.DB_POOL_MAX);
  return {
    orm,
    sql,
    url,
    embedded: Boolean(embedded),
    async close() {
      await sql.end();
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
