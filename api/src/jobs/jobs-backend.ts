import { AsyncResource } from 'node:async_hooks';
import type { AgendaBackend } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Pool } from 'pg';
import type { AppConfig } from '../config/env.schema';
import { isDatabaseConnectionLost, logIdleConnectionError } from '../shared/database-connection-lost';
import { logger } from '../shared/logger';

export type JobsBackend = { kind: 'postgres' | 'mongo'; backend: AgendaBackend; close(): Promise<void> };

// Where Agenda keeps its jobs (JOBS_BACKEND): the api's PostgreSQL (default) or MongoDB (MONGO_URL).
export async function openJobsBackend(
  config: Pick<AppConfig, 'JOBS_BACKEND' | 'MONGO_URL'>,
  databaseUrl: string,
): Promise<JobsBackend> {
  if (config.JOBS_BACKEND === 'mongo') return openMongoBackend(config.MONGO_URL!);
  // Our own pool, so a dropped connection is logged instead of crashing the process, and so we decide when it ends
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  // Handlers bound here: a loss reported later must not log under the correlation id of whatever request ran last
  pool.on(
    'error',
    AsyncResource.bind((error: Error) => logIdleConnectionError(logger, 'agenda', error)),
  );
  const backend = new PostgresBackend({ pool, tableName: 'agenda_jobs', ensureSchema: true });
  // Its LISTEN connection emits 'error' when the database goes away and reconnects by itself; unheard, that
  // event would crash the process
  backend.notificationChannel?.on(
    'error',
    AsyncResource.bind((error: Error) =>
      logger.log(
        isDatabaseConnectionLost(error) ? 'warn' : 'error',
        'agenda: notification connection lost; reconnecting',
        { error: error.message },
      ),
    ),
  );
  return { kind: 'postgres', backend, close: () => closeAfterReconnects(pool, backend.notificationChannel) };
}

type Channel = NonNullable<PostgresBackend['notificationChannel']>;

// A reconnect of the LISTEN connection that is in flight when Agenda stops lands after the channel's disconnect and
// holds a pooled client for good, so pool.end() waited forever (a stop right after the database cut every
// connection hung). Once closing, a channel that connects again is disconnected, and a reconnect it schedules
// (its attempt failed) is cancelled.
async function closeAfterReconnects(pool: Pool, channel: Channel | undefined): Promise<void> {
  const onState = (state: string) => {
    // After the event: the channel sets its state before it arms the reconnect timer that disconnect() clears
    if (state === 'connected' || state === 'reconnecting') setImmediate(() => void channel!.disconnect());
  };
  // Kept after the pool has ended: an attempt that fails on the ended pool schedules another
  channel?.on('stateChange', onState);
  // Agenda disconnected it as it stopped: connected (or about to reconnect) now means a reconnect landed since
  if (channel && channel.state !== 'disconnected') await channel.disconnect();
  await pool.end();
}

// The backend's own connection string mode connects in the background and an unreachable server crashes the
// process about 30 s later (docs: stack.md). Connecting our client first makes that a clear start-up error.
async function openMongoBackend(url: string): Promise<JobsBackend> {
  const [{ MongoClient }, { MongoBackend }] = await Promise.all([import('mongodb'), import('@agendajs/mongo-backend')]);
  // 10 s to find the server unless the URL says otherwise (?serverSelectionTimeoutMS=)
  const client = new MongoClient(
    url,
    /serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 10_000 },
  );
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`JOBS_BACKEND=mongo: cannot reach MongoDB at MONGO_URL (${(error as Error).message})`, {
      cause: error,
    });
  }
  client.on('error', (error: Error) => logger.warn('agenda: MongoDB connection error', { error: error.message }));
  const backend = new MongoBackend({ mongo: client.db(), collection: 'agenda_jobs' });
  return { kind: 'mongo', backend, close: () => client.close() };
}
