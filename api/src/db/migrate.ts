import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config';
import { logger } from '../shared/logger';
import { openDatabase, REPO_ROOT } from './database';
import { ormOptions } from './mikro-orm.config';

// Applies pending migrations to DATABASE_URL (the api also does this on start).
export async function migrate(url: string): Promise<string[]> {
  const orm = await MikroORM.init<PostgreSqlDriver>(ormOptions(url, 2));
  try {
    return (await orm.getMigrator().up()).map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

// `npm run migrate` (node api/dist/db/migrate.js): DATABASE_URL from the environment or the repo's .env; without
// it, the embedded PostgreSQL under DATA_DIR is started, migrated and stopped (with the api stopped).
async function main(): Promise<void> {
  const dotEnv = path.join(REPO_ROOT, '.env');
  if (fs.existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  const url = process.env.DATABASE_URL;
  if (url) {
    const applied = await migrate(url);
    process.stdout.write(`applied: ${applied.join(', ') || 'none'}\n`);
    return;
  }
  logger.level = 'warn';
  const db = await openDatabase(loadConfig(process.env), logger);
  await db.close();
  process.stdout.write('embedded database migrated\n');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
