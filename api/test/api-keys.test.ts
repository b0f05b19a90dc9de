import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ExecutionEventType } from '../src/shared/enums';
import { TOPICS } from '../src/graphql/pubsub';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed } from './harness/pipeline';
import { insertExecutions } from './harness/rows';

const CREATE_KEY =
  'mutation($i: ApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name scopes prefix createdAt lastUsedAt expiresAt } } }';
type CreatedKey = {
  secret: string;
  apiKey: {
    id: string;
    name: string;
    scopes: string[];
    prefix: string;
    lastUsedAt: string | null;
    expiresAt: string | null;
  };
};

async function createKey(api: TestApi, token: string, input: Record<string, unknown>): Promise<CreatedKey> {
  const res = await gql<{ createApiKey: CreatedKey }>(api.url, CREATE_KEY, { i: input }, token);
  if (!res.data) throw new Error(`createApiKey failed: ${JSON.stringify(res.errors)}`);
  return res.data.createApiKey;
}

// The first event a graphql-ws subscription authenticated with `authorization` receives, or what ended it
function firstEvent(
  api: TestApi,
  authorization: string,
  publish: () => void,
): Promise<{ event?: any; closed?: number }> {
  return new Promise((resolve) => {
    const client = createClient({
      url: `ws://127.0.0.1:${api.port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization },
      on: {
        connected: () => setTimeout(publish, 150),
        closed: (e) => resolve({ closed: (e as { code: number }).code }),
      },
    });
    const timer = setTimeout(() => {
      resolve({});
      void client.dispose();
    }, 1500);
    client.subscribe(
      { query: 'subscription { executionEvents { strategyId } }' },
      {
        next: (msg) => {
          clearTimeout(timer);
          resolve({ event: msg.data?.executionEvents });
          void client.dispose();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  });
}

describe('API keys', () => {
  let api: TestApi;
  let alice: Session;
  let bob: Session;
  let bobs: Deployed;
  let read: CreatedKey;
  let trade: CreatedKey;

  beforeAll(async () => {
    api = await startTestApi({ API_KEY_REQUESTS_PER_MINUTE: '40' });
    alice = await register(api.url, 'key-alice@example.com');
    bob = await register(api.url, 'key-bob@example.com');
    bobs = await createAndDeploy(api.url, bob.accessToken, { name: 'Bob only' });
    await insertExecutions(api.services.sql, bobs.id, bob.user.id, 3);
    read = await createKey(api, alice.accessToken, { name: 'dashboard sync', scopes: ['READ'] });
    trade = await createKey(api, alice.accessToken, { name: 'trading bot', scopes: ['READ', 'TRADE'] });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should show the secret once, list the key with its prefix, and store only a hash', async () => {
    expect(read.secret.startsWith(read.apiKey.prefix)).toBe(true);
    expect(read.apiKey).toMatchObject({ name: 'dashboard sync', scopes: ['READ'], lastUsedAt: null, expiresAt: null });
    const listed = await gql(api.url, '{ apiKeys { id name scopes prefix } }', undefined, alice.accessToken);
    expect(listed.data!.apiKeys).toEqual([
      { id: trade.apiKey.id, name: 'trading bot', scopes: ['READ', 'TRADE'], prefix: trade.apiKey.prefix },
      { id: read.apiKey.id, name: 'dashboard sync', scopes: ['READ'], prefix: read.apiKey.prefix },
    ]);
    const rows = await api.services.sql.query<Record<string, unknown>>('select * from api_keys');
    expect(JSON.stringify(rows)).not.toContain(read.secret.slice(read.apiKey.prefix.length));
    // another user sees none of them
    expect((await gql(api.url, '{ apiKeys { id } }', undefined, bob.accessToken)).data!.apiKeys).toEqual([]);
  });

  it('should let a READ key query and subscribe as its owner, and refuse it every mutation', async () => {
    const me = await gql(api.url, '{ me { id } strategies { id } executions { totalCount } }', undefined, read.secret);
    expect(me.data).toEqual({ me: { id: alice.user.id }, strategies: [], executions: { totalCount: 0 } });
    const created = await gql(
      api.url,
      'mutation { createStrategy(input: { name: "k", symbol: "TCS", timeframe: "5", qty: 1, mode: PAPER }) { id } }',
      undefined,
      read.secret,
    );
    expect(errorCode(created)).toBe('FORBIDDEN');
    expect(created.errors![0].message).toMatch(/TRADE/);
    const strategyId = '00000000-0000-4000-8000-0000000000aa';
    const heard = await firstEvent(api, `Bearer ${read.secret}`, () => publish(api, alice.user.id, strategyId));
    expect(heard.event).toEqual({ strategyId });
  });

  it('should let a TRADE key run the trading mutations', async () => {
    const created = await gql(
      api.url,
      'mutation { createStrategy(input: { name: "bot", symbol: "TCS", timeframe: "5", qty: 1, mode: PAPER }) { id } }',
      undefined,
      trade.secret,
    );
    const id = created.data!.createStrategy.id;
    const steps = [
      gql(api.url, 'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: 2 }) { qty } }', { id }, trade.secret),
      gql(api.url, 'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { enabled } }', { id }, trade.secret),
      gql(api.url, 'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }', { id }, trade.secret),
      gql(api.url, 'mutation($id: ID!) { cloneStrategy(id: $id) { id } }', { id }, trade.secret),
    ];
    for (const res of await Promise.all(steps)) expect(res.errors).toBeUndefined();
    expect((await gql(api.url, 'mutation($id: ID!) { deleteStrategy(id: $id) }', { id }, trade.secret)).data).toEqual({
      deleteStrategy: true,
    });
  });

  it('should never allow account operations with a key, whatever its scopes', async () => {
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const adminKey = await createKey(api, admin.accessToken, { name: 'ops', scopes: ['READ', 'TRADE'] });
    const attempts = [
      gql(api.url, CREATE_KEY, { i: { name: 'another', scopes: ['READ'] } }, trade.secret),
      gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: read.apiKey.id }, trade.secret),
      gql(api.url, 'mutation { logout }', undefined, trade.secret),
      gql(
        api.url,
        'mutation { connectBroker(input: { broker: "dhan", clientId: "1000000001", accessToken: "token-123456" }) { id } }',
        undefined,
        trade.secret,
      ),
      gql(
        api.url,
        'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }',
        { id: bob.user.id },
        adminKey.secret,
      ),
      gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, adminKey.secret),
    ];
    for (const res of await Promise.all(attempts)) expect([errorCode(res), res.data]).toEqual(['FORBIDDEN', null]);
    expect((await gql(api.url, '{ apiKeys { id } }', undefined, alice.accessToken)).data!.apiKeys).toHaveLength(2);
    expect((await gql(api.url, '{ me { status } }', undefined, bob.accessToken)).data!.me.status).toBe('ACTIVE');
    expect((await gql(api.url, '{ killSwitch }', undefined, admin.accessToken)).data!.killSwitch).toBe(false);
  });

  it("should never reach another user's data with a key", async () => {
    const reads = await gql(
      api.url,
      `query($id: ID!) { strategy(id: $id) { id } strategies { id } executions { totalCount } positions { id } deadLetters { id } }`,
      { id: bobs.id },
      trade.secret,
    );
    expect(reads.data!.strategy).toBeNull();
    expect(reads.data!.strategies.map((s: { id: string }) => s.id)).not.toContain(bobs.id);
    expect(reads.data!.executions.totalCount).toBe(0);
    for (const mutation of [
      'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: 9 }) { id } }',
      'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
      'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { id } }',
      'mutation($id: ID!) { deleteStrategy(id: $id) }',
    ])
      expect(errorCode(await gql(api.url, mutation, { id: bobs.id }, trade.secret))).toBe('NOT_FOUND');
    const heard = await firstEvent(api, `Bearer ${trade.secret}`, () => publish(api, bob.user.id, bobs.id));
    expect(heard.event).toBeUndefined();
  });

  it('should record lastUsedAt, at most once a minute', async () => {
    const fresh = await createKey(api, alice.accessToken, { name: 'usage', scopes: ['READ'] });
    await gql(api.url, '{ me { id } }', undefined, fresh.secret);
    const first = await waitForLastUsed(api, alice, fresh.apiKey.id);
    await gql(api.url, '{ me { id } }', undefined, fresh.secret);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lastUsed(api, alice, fresh.apiKey.id)).toBe(first);
  });

  it('should refuse a revoked key at once, over HTTP and WebSocket', async () => {
    const doomed = await createKey(api, alice.accessToken, { name: 'doomed', scopes: ['READ'] });
    expect((await gql(api.url, '{ me { id } }', undefined, doomed.secret)).data).toEqual({ me: { id: alice.user.id } });
    expect(
      (await gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: doomed.apiKey.id }, alice.accessToken))
        .data,
    ).toEqual({ revokeApiKey: true });
    expect(errorCode(await gql(api.url, '{ me { id } }', undefined, doomed.secret))).toBe('UNAUTHENTICATED');
    expect((await firstEvent(api, `Bearer ${doomed.secret}`, () => undefined)).closed).toBe(4403);
    expect(
      (await gql(api.url, '{ apiKeys { id } }', undefined, alice.accessToken)).data!.apiKeys.map(
        (k: { id: string }) => k.id,
      ),
    ).not.toContain(doomed.apiKey.id);
    // nobody else revokes it
    expect(
      errorCode(
        await gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: read.apiKey.id }, bob.accessToken),
      ),
    ).toBe('NOT_FOUND');
  });

  it('should refuse an expired key, and a key made to expire in the past', async () => {
    const soon = await createKey(api, alice.accessToken, {
      name: 'short-lived',
      scopes: ['READ'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(soon.apiKey.expiresAt).not.toBeNull();
    expect((await gql(api.url, '{ me { id } }', undefined, soon.secret)).errors).toBeUndefined();
    await api.services.sql.query(`update api_keys set expires_at = now() - interval '1 second' where id = ?`, [
      soon.apiKey.id,
    ]);
    expect(errorCode(await gql(api.url, '{ me { id } }', undefined, soon.secret))).toBe('UNAUTHENTICATED');
    const past = await gql(
      api.url,
      CREATE_KEY,
      { i: { name: 'past', scopes: ['READ'], expiresAt: '2020-01-01T00:00:00Z' } },
      alice.accessToken,
    );
    expect(errorCode(past)).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, CREATE_KEY, { i: { name: 'none', scopes: [] } }, alice.accessToken))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('should refuse every key of a disabled user', async () => {
    const carol = await register(api.url, 'key-carol@example.com');
    const key = await createKey(api, carol.accessToken, { name: 'c', scopes: ['READ'] });
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }',
      { id: carol.user.id },
      admin.accessToken,
    );
    expect(errorCode(await gql(api.url, '{ me { id } }', undefined, key.secret))).toBe('FORBIDDEN');
  });

  it('should rate-limit each key on its own', async () => {
    const busy = await createKey(api, alice.accessToken, { name: 'busy', scopes: ['READ'] });
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 45; i += 1) codes.push(errorCode(await gql(api.url, '{ me { id } }', undefined, busy.secret)));
    expect(codes.slice(0, 40).every((c) => c === undefined)).toBe(true);
    expect(codes.slice(40)).toEqual(Array(5).fill('RATE_LIMITED'));
    // another key of the same user is not slowed down
    const other = await createKey(api, alice.accessToken, { name: 'calm', scopes: ['READ'] });
    expect((await gql(api.url, '{ me { id } }', undefined, other.secret)).errors).toBeUndefined();
  });
});

function publish(api: TestApi, userId: string, strategyId: string): void {
  api.services.pubSub.publish(TOPICS.EXECUTION_EVENT, {
    id: 'evt',
    type: ExecutionEventType.ORDER_FILLED,
    executionId: '00000000-0000-4000-8000-000000000001',
    alertId: '00000000-0000-4000-8000-000000000002',
    correlationId: 'corr-1',
    strategyId,
    userId,
    at: new Date(),
    payload: null,
  });
}

async function lastUsed(api: TestApi, owner: Session, id: string): Promise<string | null> {
  const res = await gql(api.url, '{ apiKeys { id lastUsedAt } }', undefined, owner.accessToken);
  return res.data!.apiKeys.find((k: { id: string }) => k.id === id)?.lastUsedAt ?? null;
}

async function waitForLastUsed(api: TestApi, owner: Session, id: string): Promise<string> {
  for (let i = 0; i < 40; i += 1) {
    const at = await lastUsed(api, owner, id);
    if (at) return at;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('lastUsedAt never set');
}
