import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ormOptions } from './mikro-orm.config';

// `node dist/db/migrate.js` applies pending migrations to DATABASE_URL (the api also does this on start).
export async function migrate(url: string): Promise<string[]> {
  const orm = await MikroORM.init<PostgreSqlDriver>(ormOptions(url, 2));
  try {
    return (await orm.getMigrator().up()).map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required\n');
    process.exit(2);
  }
  migrate(url).then(
    (applied) => process.stdout.write(`applied: ${applied.join(', ') || 'none'}\n`),
    (error) => { process.stderr.write(`${(error as Error).stack}\n`); process.exit(1); },
  );
}
