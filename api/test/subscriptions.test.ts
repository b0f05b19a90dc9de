import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ExecutionEventType } from '../src/shared/enums';
import { TOPICS } from '../src/graphql/pubsub';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';

const SUBSCRIPTION =
  'subscription($s: ID) { executionEvents(strategyId: $s) { type executionId strategyId correlationId at payload } }';

function wsClient(api: TestApi, authorization?: string): Client {
  return createClient({
    url: `ws://127.0.0.1:${api.port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: authorization ? { authorization } : {},
  });
}

// Collects events until `count` arrive or the timeout passes; resolves with what came.
function collect(
  client: Client,
  variables: Record<string, unknown>,
  count: number,
  timeoutMs = 1500,
): Promise<{ events: any[]; error?: unknown }> {
  return new Promise((resolve) => {
    const events: any[] = [];
    let dispose = () => {};
    const done = (error?: unknown) => {
      clearTimeout(timer);
      dispose();
      resolve({ events, error });
    };
    const timer = setTimeout(() => done(), timeoutMs);
    dispose = client.subscribe(
      { query: SUBSCRIPTION, variables },
      {
        next: (msg) => {
          events.push(msg.data?.executionEvents ?? msg);
          if (events.length >= count) done();
        },
        error: (error) => done(error),
        complete: () => undefined,
      },
    );
  });
}

function publish(api: TestApi, userId: string, strategyId: string) {
  api.services.pubSub.publish(TOPICS.EXECUTION_EVENT, {
    id: 'evt',
    type: ExecutionEventType.ORDER_FILLED,
    executionId: '00000000-0000-4000-8000-000000000001',
    alertId: '00000000-0000-4000-8000-000000000002',
    correlationId: 'corr-1',
    strategyId,
    userId,
    at: new Date('2026-11-26T04:00:00Z'),
    payload: { price: '101.5' },
  });
}

describe('executionEvents over graphql-ws', () => {
  let api: TestApi;
  let alice: Session;
  let bob: Session;
  const clients: Client[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    alice = await register(api.url, 'ws-alice@example.com');
    bob = await register(api.url, 'ws-bob@example.com');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await api.close();
  });

  it('should deliver an event to the owner authenticated through connectionParams', async () => {
    const client = wsClient(api, `Bearer ${alice.accessToken}`);
    clients.push(client);
    const pending = collect(client, {}, 1);
    await new Promise((r) => setTimeout(r, 200)); // let the subscription register
    publish(api, alice.user.id, '00000000-0000-4000-8000-00000000000a');
    const { events, error } = await pending;
    expect(error).toBeUndefined();
    expect(events).toEqual([
      {
        type: 'ORDER_FILLED',
        executionId: '00000000-0000-4000-8000-000000000001',
        strategyId: '00000000-0000-4000-8000-00000000000a',
        correlationId: 'corr-1',
        at: '2026-11-26T04:00:00.000Z',
        payload: { price: '101.5' },
      },
    ]);
  });

  it("should never deliver one user's events to another user", async () => {
    const client = wsClient(api, `Bearer ${bob.accessToken}`);
    clients.push(client);
    const pending = collect(client, {}, 1, 800);
    await new Promise((r) => setTimeout(r, 200));
    publish(api, alice.user.id, '00000000-0000-4000-8000-00000000000a');
    expect((await pending).events).toEqual([]);
  });

  it('should filter by strategyId when given', async () => {
    const client = wsClient(api, `Bearer ${alice.accessToken}`);
    clients.push(client);
    const pending = collect(client, { s: '00000000-0000-4000-8000-00000000000b' }, 2, 800);
    await new Promise((r) => setTimeout(r, 200));
    publish(api, alice.user.id, '00000000-0000-4000-8000-00000000000a');
    publish(api, alice.user.id, '00000000-0000-4000-8000-00000000000b');
    const { events } = await pending;
    expect(events.map((e) => e.strategyId)).toEqual(['00000000-0000-4000-8000-00000000000b']);
  });

  it('should refuse a connection without a valid token', async () => {
    for (const auth of [undefined, 'Bearer not-a-token']) {
      const client = wsClient(api, auth);
      clients.push(client);
      const { error, events } = await collect(client, {}, 1);
      expect(events).toEqual([]);
      expect((error as { code?: number }).code).toBe(4403);
    }
  });
});

// A subscription kept open: what it receives, and the code its socket was closed with
function watch(api: TestApi, authorization: string) {
  const events: any[] = [];
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => {
    onClosed = resolve;
  });
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const client = createClient({
    url: `ws://127.0.0.1:${api.port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization },
    on: { connected: () => setTimeout(onReady, 150), closed: (e) => onClosed((e as { code: number }).code) },
  });
  client.subscribe(
    { query: SUBSCRIPTION, variables: {} },
    { next: (msg) => events.push(msg.data?.executionEvents), error: () => undefined, complete: () => undefined },
  );
  return { events, closed, ready, dispose: () => client.dispose() };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('live sessions over graphql-ws', () => {
  let api: TestApi;
  let admin: Session;
  beforeAll(async () => {
    api = await startTestApi();
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
  });
  afterAll(async () => {
    await api.close();
  });

  it("should close a disabled user's socket with 4403 at once and deliver nothing after", async () => {
    const dave = await register(api.url, 'ws-dave@example.com');
    const socket = watch(api, `Bearer ${dave.accessToken}`);
    await socket.ready;
    publish(api, dave.user.id, '00000000-0000-4000-8000-00000000000d');
    await new Promise((r) => setTimeout(r, 100));
    expect(socket.events).toHaveLength(1);
    await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }',
      { id: dave.user.id },
      admin.accessToken,
    );
    expect(await within(socket.closed, 1000)).toBe(4403);
    publish(api, dave.user.id, '00000000-0000-4000-8000-00000000000d');
    await new Promise((r) => setTimeout(r, 100));
    expect(socket.events).toHaveLength(1);
  });

  it('should check rights at each event, even when the change was made elsewhere (another process, the database)', async () => {
    const erin = await register(api.url, 'ws-erin@example.com');
    const socket = watch(api, `Bearer ${erin.accessToken}`);
    await socket.ready;
    await api.services.sql.query(`update users set status = 'DISABLED' where id = ?`, [erin.user.id]);
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second cache of a user's state
    publish(api, erin.user.id, '00000000-0000-4000-8000-00000000000e');
    expect(await within(socket.closed, 1000)).toBe(4403);
    expect(socket.events).toEqual([]);
  });

  it("should stop a demoted admin's socket from hearing other users' events", async () => {
    const frank = await register(api.url, 'ws-frank@example.com');
    await api.services.sql.query(`update users set role = 'ADMIN' where id = ?`, [frank.user.id]);
    const socket = watch(api, `Bearer ${frank.accessToken}`);
    await socket.ready;
    const someone = await register(api.url, 'ws-someone@example.com');
    publish(api, someone.user.id, '00000000-0000-4000-8000-00000000000f');
    await new Promise((r) => setTimeout(r, 100));
    expect(socket.events).toHaveLength(1); // an admin hears everyone
    await api.services.sql.query(`update users set role = 'USER' where id = ?`, [frank.user.id]);
    await new Promise((r) => setTimeout(r, 1100));
    publish(api, someone.user.id, '00000000-0000-4000-8000-00000000000f');
    expect(await within(socket.closed, 1000)).toBe(4403);
    expect(socket.events).toHaveLength(1);
  });

  it('should close a socket opened with an API key with 4401 when the key is revoked', async () => {
    const gina = await register(api.url, 'ws-gina@example.com');
    const created = await gql(
      api.url,
      'mutation { createApiKey(input: { name: "feed", scopes: [READ] }) { secret apiKey { id } } }',
      undefined,
      gina.accessToken,
    );
    const { secret, apiKey } = created.data!.createApiKey;
    const socket = watch(api, `Bearer ${secret}`);
    await socket.ready;
    await gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, gina.accessToken);
    expect(await within(socket.closed, 1000)).toBe(4401);
  });
});

describe('live sessions with short-lived tokens', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ACCESS_TOKEN_TTL: '2s' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should close the socket with 4401 when its access token expires', async () => {
    const hank = await register(api.url, 'ws-hank@example.com');
    const socket = watch(api, `Bearer ${hank.accessToken}`);
    await socket.ready;
    const started = Date.now();
    expect(await within(socket.closed, 4000)).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3000);
    publish(api, hank.user.id, '00000000-0000-4000-8000-000000000010');
    await new Promise((r) => setTimeout(r, 100));
    expect(socket.events).toEqual([]);
  });
});
