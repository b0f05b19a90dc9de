import { randomBytes } from 'node:crypto';
import { adminQuery, databaseUrl, SERVER_URL, TEMPLATE_ENV } from './databases';
import { startApiOn, TestApi } from './test-api';

// The benchmarks' wire-protocol proxy: counts every statement the api sends to PostgreSQL, by kind
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPgCountProxy, statementsBetween } = require('../../../bench/lib/pg-count-proxy');

type Snapshot = { statements: number; kinds: Map<string, number> };
type Proxy = { port: number; snapshot(): Snapshot; close(): Promise<void> };

export type CountedApi = TestApi & {
  // Statements sent while `work` ran, by kind ("select strategies", "insert alerts", ...), without the cluster
  // connection's NOTIFYs (presence pings every 0.3 s: background, not the work's)
  count(work: () => Promise<unknown>): Promise<{ statements: number; kinds: Map<string, number> }>;
  // Cuts the api off from PostgreSQL (every connection and new attempt fails)
  cutDatabase(): Promise<void>;
};

// A test api whose every database connection goes through the counting proxy.
export async function startCountedApi(env: Record<string, string> = {}): Promise<CountedApi> {
  const server = new URL(SERVER_URL);
  const proxy: Proxy = await startPgCountProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const dbName = `algodatta_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
  const url = new URL(databaseUrl(dbName));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  let cut = false;
  const api = await startApiOn(dbName, { DATABASE_URL: url.toString(), ...env });
  const close = api.close.bind(api);
  return Object.assign(api, {
    async count(work: () => Promise<unknown>) {
      const before = proxy.snapshot();
      await work();
      await new Promise((r) => setTimeout(r, 50));
      const diff = statementsBetween(before, proxy.snapshot()) as {
        statements: number;
        kinds: Array<[string, number]>;
      };
      const kinds = new Map(diff.kinds);
      const notifies = kinds.get('notify') ?? 0;
      kinds.delete('notify');
      return { statements: diff.statements - notifies, kinds };
    },
    async cutDatabase() {
      cut = true;
      await proxy.close();
    },
    async close() {
      try {
        await close();
      } finally {
        if (!cut) await proxy.close();
      }
    },
  });
}
