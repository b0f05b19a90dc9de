import { randomBytes } from 'node:crypto';
import { freePort, spawnApi } from './harness/api-process';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './harness/databases';

// The first dashboard page after a restart took 864 ms against ~100 ms for the next (bench/dashboard-pages.js): a
// production api now runs the dashboard's first queries in-process, as an existing user, before /readyz says ready
describe('the api start-up warm-up', () => {
  it('should run the dashboard queries without errors before it says ready', async () => {
    const dbName = `algodatta_test_warm_up_${process.pid}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    const port = await freePort();
    const api = await spawnApi(
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl(dbName),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        SECRET_KEY: randomBytes(32).toString('hex'),
        ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        SEED_ADMIN_EMAIL: 'root@warm-up.test',
        SEED_ADMIN_PASSWORD: 'Seed-Admin-Pass-42',
        BROKER_PLUGINS: '@algodatta/broker-paper',
        REPORT_PREFIX_KEEP_MINUTES: '0',
      },
      port,
    );
    try {
      // Ready only after the warm-up: its line is already out
      const lines = api
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { message: string; ms?: number });
      const warm = lines.find((l) => l.message === 'warmed up');
      expect(warm).toBeDefined();
      expect(lines.filter((l) => /^warm-up/.test(l.message))).toEqual([]);
    } finally {
      await api.stop();
      await dropDatabase(dbName);
    }
  }, 120_000);
});
