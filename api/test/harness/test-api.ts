import { randomBytes } from 'node:crypto';
import { startApi, RunningApi } from '../../src/app/start-api';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './databases';

export const TEST_SECRET_KEY = 'test-secret-key-0123456789-abcdefghijklmnop';
export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };

export type TestApi = RunningApi & { dbName: string; close(): Promise<void> };

// A real api on an ephemeral port over its own fresh database (cloned from the migrated template).
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('test template database missing: run through jest (globalSetup)');
  const dbName = `algodatta_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${dbName}" template "${template}"`);
  return startApiOn(dbName, env);
}

// The settings of a test api over `dbName` (in this process, or spawned from a build)
export function testApiEnv(dbName: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl(dbName),
    SECRET_KEY: TEST_SECRET_KEY,
    SEED_ADMIN_EMAIL: ADMIN.email,
    SEED_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '5',
    JOBS_LOCK_LIFETIME_MS: '2000',
    PUBLIC_BASE_URL: 'http://127.0.0.1:4000',
    // Paper trades around the clock unless a test is about sessions (it sets enforce and a fixed clock)
    BROKER_PAPER_MARKET_HOURS: 'ignore',
    // LIVE readiness without the network (no egress IP lookup) and whatever the day (a test about them sets these)
    EGRESS_IP_DETECT_URL: 'off',
    READINESS_BLOCKING: 'token,static_ip,instruments',
  };
}

// Starts an api over an existing test database, e.g. to restart "the same server" after a stop.
export async function startApiOn(dbName: string, env: Record<string, string> = {}): Promise<TestApi> {
  try {
    const api = await startApi({ ...testApiEnv(dbName), ...env });
    return Object.assign(api, {
      dbName,
      async close() {
        await api.stop();
        await dropDatabase(dbName);
      },
    });
  } catch (error) {
    await dropDatabase(dbName);
    throw error;
  }
}
