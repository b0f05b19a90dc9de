import { randomBytes } from 'node:crypto';
import { adminQuery, databaseUrl, SERVER_URL, TEMPLATE_ENV } from './databases';
import { register } from './graphql-client';
import { createAndDeploy, Deployed, postAlert, subscribeEvents, uniqueKey, waitFor } from './pipeline';
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

// Not an order's work: the job runner's polling and the notification outbox reading what the fills enqueued
export const isBackground = (kind: string) =>
  /agenda_jobs|notification_outbox|notification_channels|select users|\[notifications\]/.test(kind);

// The orders' own statements among counted kinds (background left out), and their sum
export const orderKinds = (kinds: Map<string, number>) => [...kinds].filter(([kind]) => !isBackground(kind));
export const sumOf = (kinds: Array<[string, number]>) => kinds.reduce((n, [, c]) => n + c, 0);

export type CountedPaperStrategy = {
  api: CountedApi;
  strategy: Deployed;
  // How many ORDER_FILLED events of the strategy have arrived so far
  filled(): number;
  // Every execution event of the strategy so far, in arrival order
  events: any[];
  // Sends the i-th alert of a run (alternatingAlert), expects its 202 and waits for its ORDER_FILLED; its alert id
  fillOne(i: number): Promise<string>;
  close(): Promise<void>;
};

// A counted api with one trader's paper strategy deployed and its execution events subscribed: the set-up of a
// count of the paper order path
async function startCountedPaperStrategy(
  email: string,
  alertsPerMinute: number,
  env: Record<string, string> = {},
): Promise<CountedPaperStrategy> {
  const api = await startCountedApi(env);
  try {
    const trader = await register(api.url, email);
    const strategy = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute });
    const sub = subscribeEvents(api.port, trader.accessToken, { s: strategy.id });
    await sub.ready;
    return {
      api,
      strategy,
      events: sub.events,
      filled: () => sub.events.filter((e) => e.type === 'ORDER_FILLED').length,
      async fillOne(i: number) {
        const reply = await postAlert(api.url, alternatingAlert(strategy.secret, i));
        expect(reply.status).toBe(202);
        const alertId = reply.body.alert_id as string;
        await waitFor(
          async () => sub.events.some((e) => e.type === 'ORDER_FILLED' && e.alertId === alertId),
          8000,
          'ORDER_FILLED',
        );
        return alertId;
      },
      async close() {
        try {
          await sub.client.dispose();
        } finally {
          await api.close();
        }
      },
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}

// One counted paper strategy for the calling describe block: started before its tests, closed after them; the tests
// get it from the function returned.
export function countedPaperStrategyForSuite(
  email: string,
  alertsPerMinute: number,
  env: Record<string, string> = {},
): () => CountedPaperStrategy {
  let paper: CountedPaperStrategy | undefined;
  beforeAll(async () => {
    paper = await startCountedPaperStrategy(email, alertsPerMinute, env);
  });
  afterAll(async () => {
    await paper?.close();
  });
  return () => {
    if (!paper) throw new Error('the counted paper strategy did not start');
    return paper;
  };
}

// The i-th alert of a run on one position: 1 RELIANCE at 2500, BUY and SELL in turn so the position stays small
export const alternatingAlert = (secret: string, i: number) => ({
  secret,
  idempotency_key: uniqueKey(),
  symbol: 'RELIANCE',
  side: i % 2 ? 'SELL' : 'BUY',
  qty: 1,
  price: 2500,
});
