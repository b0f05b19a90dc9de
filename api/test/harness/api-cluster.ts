import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { ApiProcess, freePort, spawnApi } from './api-process';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './databases';
import { ADMIN, TEST_SECRET_KEY } from './test-api';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type ApiCluster = { apis: ApiProcess[]; dbName: string; dbUrl: string; stop(): Promise<void> };

// N built api processes (api/dist, as `npm run start:api` runs them) on one fresh database, started together, as a
// deployment behind a load balancer would run them.
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<ApiCluster> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('test template database missing: run through jest (globalSetup)');
  const dbName = `algodatta_test_cluster_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database "${dbName}" template "${template}"`);
  const dbUrl = databaseUrl(dbName);
  const common = {
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    SEED_ADMIN_EMAIL: ADMIN.email,
    SEED_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '4',
    JOBS_LOCK_LIFETIME_MS: '2000',
    BROKER_PAPER_MARKET_HOURS: 'ignore',
    PUBLIC_BASE_URL: 'http://127.0.0.1:4000',
    ...env,
  };
  const started = await Promise.allSettled(
    // Each process's connections are named after its index (PGAPPNAME), so a test can tell whose statement waits
    Array.from({ length: n }, async (_, i) =>
      spawnApi({ PGAPPNAME: `test-api-${i}`, ...common }, await freePort(), 90_000),
    ),
  );
  const apis = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await dropDatabase(dbName);
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { apis, dbName, dbUrl, stop };
}

// Whether a Redis answers PING at `url` (a test of the Redis variant is skipped, with a message, when not)
export function redisReachable(url = REDIS_URL, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
