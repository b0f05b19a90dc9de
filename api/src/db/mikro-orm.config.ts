import 'reflect-metadata';
import path from 'node:path';
import { Options, ReflectMetadataProvider } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { entities } from './entities';

export function ormOptions(clientUrl: string, poolMax = 10): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    // Entities are validated at boot, so a broken mapping fails the start instead of a request.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: path.join(__dirname, 'migrations'),
      pathTs: path.join(__dirname, '../../src/db/migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      snapshot: true,
      silent: true,
      snapshotName: '.snapshot-algodatta',
    },
    debug: false,
  };
}

// Used by the MikroORM CLI (`npm run migration:create -w api`), with DATABASE_URL pointing at a scratch database.
export default ormOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/algodatta_dev');
