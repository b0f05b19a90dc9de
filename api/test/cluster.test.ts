import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiCluster, REDIS_URL, redisReachable, startCluster } from './harness/api-cluster';
import { freePort, spawnApi } from './harness/api-process';
import { adminQuery, databaseUrl, dropDatabase, queryDatabase as sql } from './harness/databases';
import { ADMIN, TEST_SECRET_KEY } from './harness/test-api';
import { gql, login, register } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor } from './harness/pipeline';

type Event = { id: string; type: string; executionId: string; alertId: string; strategyId: string };

const SUBSCRIPTION =
  'subscription($s: ID) { executionEvents(strategyId: $s) { id type executionId alertId strategyId } }';

function wsClient(url: string, token: string): Client {
  return createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

// Subscribes and resolves once the server has acknowledged the connection (and a moment for the subscription)
async function listen(client: Client, variables: Record<string, unknown> = {}): Promise<Event[]> {
  const events: Event[] = [];
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe(
    { query: SUBSCRIPTION, variables },
    {
      next: (msg) => events.push(msg.data?.executionEvents as Event),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await connected;
  await new Promise((r) => setTimeout(r, 200));
  return events;
}

async function adminToken(url: string): Promise<string> {
  const res = await login(url, ADMIN.email, ADMIN.password);
  if (!res.data) throw new Error(`admin login failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.accessToken;
}

const alert = (d: Deployed, side = 'BUY') => ({
  secret: d.secret,
  idempotency_key: uniqueKey(),
  symbol: 'RELIANCE',
  side,
  qty: 1,
  price: 2500,
});

// Sends an alert to `url` every 50 ms until `accept` says the answer shows the change; how long that took
async function msUntil(
  url: string,
  d: Deployed,
  accept: (reply: { status: number; body: any }) => boolean,
  timeoutMs = 5000,
): Promise<number> {
  const t0 = Date.now();
  await waitFor(async () => accept(await postAlert(url, alert(d))), timeoutMs, 'the change to be seen');
  return Date.now() - t0;
}

describe('api processes started together on an empty database', () => {
  it('should migrate and seed once and write one copy of each job schedule', async () => {
    const dbName = `algodatta_test_cluster_empty_${process.pid}`;
    await adminQuery(`drop database if exists "${dbName}"`);
    await adminQuery(`create database "${dbName}"`);
    const dbUrl = databaseUrl(dbName);
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: dbUrl,
      SECRET_KEY: TEST_SECRET_KEY,
      SEED_ADMIN_EMAIL: ADMIN.email,
      SEED_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: '3',
      JOBS_LOCK_LIFETIME_MS: '2000',
    };
    const started = await Promise.allSettled([0, 1, 2].map(async () => spawnApi(env, await freePort(), 90_000)));
    try {
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const [users] = await sql(dbUrl, 'select count(*)::int as n from users');
      const [strategies] = await sql(dbUrl, 'select count(*)::int as n from strategies');
      expect([users.n, strategies.n]).toEqual([1, 1]);
      const schedules = await sql(
        dbUrl,
        'select name, count(*)::int as n from agenda_jobs group by name order by name',
      );
      // Three square-off times and one day-order expiry per session end (SQUARE_OFF_TIMES, SESSION_END_TIMES)
      for (const row of schedules) {
        if (row.name === 'paper.square-off') expect(row.n).toBe(3);
        else if (row.name !== 'paper.expire-day') expect(row.n).toBe(1);
      }
      const expiries = await sql(
        dbUrl,
        `select data->>'time' as time, count(*)::int as n from agenda_jobs where name = 'paper.expire-day' group by 1`,
      );
      for (const row of expiries) expect(row.n).toBe(1);
    } finally {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      await dropDatabase(dbName);
    }
  }, 150_000);

  it('should refuse to start, saying why, when REDIS_URL is set and Redis cannot be reached', async () => {
    await expect(startCluster(1, { REDIS_URL: 'redis://127.0.0.1:9' })).rejects.toThrow(
      /REDIS_URL: cannot reach Redis/,
    );
  }, 120_000);
});

// Two api processes on one database behave as one: each case runs on PostgreSQL alone, then with REDIS_URL
describe.each([
  ['PostgreSQL only', false],
  ['with REDIS_URL', true],
])('two api processes, %s', (_name, withRedis) => {
  let cluster: ApiCluster | undefined;
  let a: string;
  let b: string;
  let token: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    if (withRedis && !(await redisReachable())) {
      process.stdout.write(`skipping the Redis variant of cluster.test.ts: no Redis answers at ${REDIS_URL}\n`);
      return;
    }
    cluster = await startCluster(2, { LOGIN_MAX_PER_EMAIL: '3', ...(withRedis && { REDIS_URL }) });
    [a, b] = cluster.apis.map((api) => api.url);
    token = await adminToken(a);
  }, 200_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await cluster?.stop();
  });

  it("should deliver every process's events to a subscription on either, in order and once", async () => {
    if (!cluster) return;
    const s1 = await createAndDeploy(a, token, { name: 'events on A' });
    const s2 = await createAndDeploy(a, token, { name: 'events on B' });
    const onA = wsClient(a, token);
    const onB = wsClient(b, token);
    clients.push(onA, onB);
    const [seenOnA, seenOnB] = await Promise.all([listen(onA), listen(onB)]);
    // Each strategy's alerts to one process (one position is decided in one process until issue 19 part 2)
    const replies = [];
    for (let i = 0; i < 6; i++) {
      replies.push(await postAlert(a, alert(s1, i % 2 ? 'SELL' : 'BUY')));
      replies.push(await postAlert(b, alert(s2, i % 2 ? 'SELL' : 'BUY')));
    }
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(202));
    const alertIds = replies.map((r) => r.body.alert_id as string);
    const filled = (events: Event[]) =>
      alertIds.every((id) => events.some((e) => e.alertId === id && e.type === 'ORDER_FILLED'));
    await waitFor(async () => filled(seenOnA) && filled(seenOnB), 15_000, 'every fill on both subscriptions');
    // Late events would show as duplicates or extra ones
    await new Promise((r) => setTimeout(r, 300));

    const rows = await sql(
      cluster.dbUrl,
      'select e.id, e.execution_id from execution_events e where e.strategy_id = any($1::uuid[])',
      [[s1.id, s2.id]],
    );
    for (const seen of [seenOnA, seenOnB]) {
      const ids = seen.filter((e) => e.strategyId === s1.id || e.strategyId === s2.id).map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(rows.map((r) => r.id as string).sort());
    }
    // Per execution, both subscriptions heard the same sequence: the one its process published
    const byExecution = (events: Event[]) => {
      const map = new Map<string, string[]>();
      for (const e of events) map.set(e.executionId, [...(map.get(e.executionId) ?? []), e.type]);
      return map;
    };
    const onAByExecution = byExecution(seenOnA);
    const onBByExecution = byExecution(seenOnB);
    for (const [executionId, types] of onBByExecution) {
      expect(onAByExecution.get(executionId)).toEqual(types);
      expect(types[0]).toBe('ALERT_RECEIVED');
      expect(types[types.length - 1]).toBe('ORDER_FILLED');
    }
  }, 60_000);

  it('should hold the login budget across both processes', async () => {
    if (!cluster) return;
    const email = `cluster-login-${withRedis ? 'r' : 'p'}@example.com`;
    await register(a, email, 'right-password-1');
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const res = await login(i % 2 ? b : a, email, 'wrong-password-1');
      codes.push(res.errors?.[0]?.extensions?.code);
    }
    // LOGIN_MAX_PER_EMAIL=3 for the cluster, not for each process
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it("should hold a strategy's alert rate across both processes", async () => {
    if (!cluster) return;
    const s = await createAndDeploy(a, token, { name: 'four a minute', alertsPerMinute: 4 });
    const statuses = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await postAlert(i % 2 ? b : a, alert(s, i % 2 ? 'SELL' : 'BUY'))).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('should let the other process see a strategy change within 1 s, made through the api or in the database', async () => {
    if (!cluster) return;
    const s = await createAndDeploy(a, token, { name: 'switched elsewhere' });
    expect((await postAlert(b, alert(s))).status).toBe(202);
    // B's cached strategy is older than the 1 s it would live without the change feed: only a notification explains a refresh
    await new Promise((r) => setTimeout(r, 1500));
    expect((await postAlert(b, alert(s))).status).toBe(202);
    const off = await gql(
      a,
      'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { enabled } }',
      { id: s.id },
      token,
    );
    expect(off.data?.toggleStrategy.enabled).toBe(false);
    expect(await msUntil(b, s, (r) => r.status === 422 && r.body.reason === 'strategy_disabled')).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1500));
    await sql(cluster.dbUrl, 'update strategies set enabled = true where id = $1', [s.id]);
    expect(await msUntil(b, s, (r) => r.status === 202)).toBeLessThan(1000);
  });

  it('should let the other process see the kill switch within 1 s', async () => {
    if (!cluster) return;
    const s = await createAndDeploy(a, token, { name: 'kill switch elsewhere' });
    expect((await postAlert(b, alert(s))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    try {
      expect((await gql(a, 'mutation { setKillSwitch(enabled: true) }', undefined, token)).data?.setKillSwitch).toBe(
        true,
      );
      expect(await msUntil(b, s, (r) => r.status === 422 && r.body.reason === 'kill_switch')).toBeLessThan(1000);
    } finally {
      await gql(a, 'mutation { setKillSwitch(enabled: false) }', undefined, token);
    }
    expect(await msUntil(b, s, (r) => r.status === 202)).toBeLessThan(1000);
  });

  it("should close a disabled user's socket on the other process at once, not at the next 30 s recheck", async () => {
    if (!cluster) return;
    const user = await register(a, `cluster-ws-${withRedis ? 'r' : 'p'}@example.com`);
    const client = wsClient(b, user.accessToken);
    clients.push(client);
    const closed = new Promise<{ code: number; at: number }>((resolve) =>
      client.on('closed', (event) => resolve({ code: (event as { code: number }).code, at: Date.now() })),
    );
    await listen(client);
    const t0 = Date.now();
    const res = await gql(
      a,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { status } }',
      { id: user.user.id },
      token,
    );
    expect(res.data?.setUserStatus.status).toBe('DISABLED');
    const { code, at } = await closed;
    expect(code).toBe(4403);
    expect(at - t0).toBeLessThan(1000);
  });
});
