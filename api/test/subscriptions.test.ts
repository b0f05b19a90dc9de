import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ExecutionEventType } from '../src/shared/enums';
import { TOPICS } from '../src/graphql/pubsub';
import { startTestApi, TestApi } from './harness/test-api';
import { register, Session } from './harness/graphql-client';

const SUBSCRIPTION = 'subscription($s: ID) { executionEvents(strategyId: $s) { type executionId strategyId correlationId at payload } }';

function wsClient(api: TestApi, authorization?: string): Client {
  return createClient({
    url: `ws://127.0.0.1:${api.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true,
    connectionParams: authorization ? { authorization } : {},
  });
}

// Collects events until `count` arrive or the timeout passes; resolves with what came.
function collect(client: Client, variables: Record<string, unknown>, count: number, timeoutMs = 1500): Promise<{ events: any[]; error?: unknown }> {
  return new Promise((resolve) => {
    const events: any[] = [];
    let dispose = () => {};
    const done = (error?: unknown) => { clearTimeout(timer); dispose(); resolve({ events, error }); };
    const timer = setTimeout(() => done(), timeoutMs);
    dispose = client.subscribe({ query: SUBSCRIPTION, variables }, {
      next: (msg) => { events.push(msg.data?.executionEvents ?? msg); if (events.length >= count) done(); },
      error: (error) => done(error),
      complete: () => undefined,
    });
  });
}

function publish(api: TestApi, userId: string, strategyId: string) {
  api.services.pubSub.publish(TOPICS.EXECUTION_EVENT, {
    id: 'evt', type: ExecutionEventType.ORDER_FILLED, executionId: '00000000-0000-4000-8000-000000000001',
    alertId: '00000000-0000-4000-8000-000000000002', correlationId: 'corr-1', strategyId, userId, at: new Date('2026-11-26T04:00:00Z'),
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
    expect(events).toEqual([{
      type: 'ORDER_FILLED', executionId: '00000000-0000-4000-8000-000000000001', strategyId: '00000000-0000-4000-8000-00000000000a',
      correlationId: 'corr-1', at: '2026-11-26T04:00:00.000Z', payload: { price: '101.5' },
    }]);
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
