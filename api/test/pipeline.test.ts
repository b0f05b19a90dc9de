import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import {
  createAndDeploy,
  postAlert,
  subscribeEvents,
  uniqueKey,
  waitFor,
  waitForStatus,
  executionByAlert,
  EXECUTION_FIELDS,
} from './harness/pipeline';

describe('alert to paper fill', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'pipeline@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  it('should deploy, accept an alert, fill it on paper, update the position and stream the three events', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', qty: 10 });
    expect(strategy.webhookUrl).toBe('http://127.0.0.1:4000/api/webhook/tradingview');
    expect(strategy.secret).toMatch(/^whsec_/);
    const template = JSON.parse(strategy.alertMessage);
    expect(template).toMatchObject({
      secret: strategy.secret,
      side: '{{strategy.order.action}}',
      qty: '{{strategy.order.contracts}}',
      price: '{{close}}',
    });
    expect(template.idempotency_key).toContain('{{timenow}}');

    const sub = subscribeEvents(api.port, trader.accessToken, { s: strategy.id });
    await sub.ready;
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      symbol: 'RELIANCE',
      side: 'buy',
      qty: '10',
      price: '2500',
    });
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({
      status: 'accepted',
      alert_id: expect.any(String),
      correlation_id: expect.any(String),
    });

    const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    // 5 bps slippage against a buyer: 2500 * 1.0005 = 2501.25, on the 0.05 tick
    expect(execution).toMatchObject({
      symbol: 'RELIANCE',
      side: 'BUY',
      qty: '10',
      status: 'FILLED',
      filledQty: '10',
      avgFillPrice: '2501.25',
      mode: 'PAPER',
      correlationId: reply.body.correlation_id,
    });
    expect(Number(execution.charges)).toBeGreaterThan(0);

    const types = await waitFor(
      async () => (sub.events.length >= 3 ? sub.events.map((e) => e.type) : undefined),
      5000,
      'three events',
    );
    expect(types).toEqual(['ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED']);
    for (const event of sub.events)
      expect(event).toMatchObject({
        alertId: reply.body.alert_id,
        correlationId: reply.body.correlation_id,
        strategyId: strategy.id,
      });
    await sub.client.dispose();

    const positions = await gql(
      api.url,
      '{ positions(mode: PAPER) { strategyId symbol qty avgPrice realizedPnl } }',
      undefined,
      trader.accessToken,
    );
    expect(positions.data!.positions).toEqual([
      {
        strategyId: strategy.id,
        symbol: 'RELIANCE',
        qty: '10',
        avgPrice: '2501.25',
        realizedPnl: `-${execution.charges}`,
      },
    ]);

    const detail = await gql(
      api.url,
      `query($id: ID!) { execution(id: $id) { ${EXECUTION_FIELDS} events { type at } } }`,
      { id: execution.id },
      trader.accessToken,
    );
    expect(detail.data!.execution.events.map((e: { type: string }) => e.type)).toEqual([
      'ALERT_RECEIVED',
      'ORDER_PLACED',
      'ORDER_FILLED',
    ]);
    const json = await gql(
      api.url,
      'query($id: ID!) { execution(id: $id) { brokerRequest brokerResponse } }',
      { id: execution.id },
      trader.accessToken,
    );
    expect(json.data!.execution.brokerRequest).toMatchObject({
      clientOrderId: execution.clientOrderId,
      side: 'BUY',
      type: 'MARKET',
      quantity: '10',
      referencePrice: '2500',
    });
    expect(json.data!.execution.brokerResponse).toBeTruthy();
  });

  it('should accept a text/plain body that holds JSON, as TradingView sends it', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS' });
    const body = JSON.stringify({
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 4000,
    });
    const reply = await postAlert(api.url, body, 'text/plain; charset=utf-8');
    expect(reply.status).toBe(202);
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
  });

  it('should turn 200 concurrent deliveries of one key into one execution', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY', alertsPerMinute: 1000 });
    const alert = { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 1, price: 1500 };
    const replies = await Promise.all(Array.from({ length: 200 }, () => postAlert(api.url, alert)));
    const accepted = replies.filter((r) => r.status === 202);
    const duplicates = replies.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(1);
    expect(duplicates).toHaveLength(199);
    for (const d of duplicates) expect(d.body).toEqual({ status: 'duplicate', alert_id: accepted[0].body.alert_id });
    await waitForStatus(api.url, trader.accessToken, accepted[0].body.alert_id, ['FILLED']);
    const count = await gql(
      api.url,
      'query($s: ID) { executions(filter: { strategyId: $s }) { totalCount } }',
      { s: strategy.id },
      trader.accessToken,
    );
    expect(count.data!.executions.totalCount).toBe(1);
    const position = await gql(api.url, '{ positions { strategyId qty } }', undefined, trader.accessToken);
    expect(position.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategy.id).qty).toBe('1');
  });

  it('should give each key of a burst one execution when keys of two strategies arrive together, each delivered five times', async () => {
    // Under load concurrent alerts share one insert statement: the same key twice in a batch, and a key
    // split across batches, must still make one alert, and every answer must name it
    const strategies = await Promise.all(
      ['HDFCBANK', 'ICICIBANK'].map((symbol) =>
        createAndDeploy(api.url, trader.accessToken, { symbol, alertsPerMinute: 1000 }),
      ),
    );
    const keys = strategies.flatMap((s) => Array.from({ length: 20 }, () => ({ strategy: s, key: uniqueKey() })));
    const deliveries = keys.flatMap((k) => Array.from({ length: 5 }, () => k));
    const replies = await Promise.all(
      deliveries.map(({ strategy, key }) =>
        postAlert(api.url, { secret: strategy.secret, idempotency_key: key, side: 'BUY', qty: 1, price: 1000 }).then(
          (reply) => ({ key, reply }),
        ),
      ),
    );
    for (const { key } of keys) {
      const mine = replies.filter((r) => r.key === key).map((r) => r.reply);
      const accepted = mine.filter((r) => r.status === 202);
      expect(accepted).toHaveLength(1);
      expect(mine.filter((r) => r.status === 200).map((r) => r.body)).toEqual(
        Array(4).fill({ status: 'duplicate', alert_id: accepted[0].body.alert_id }),
      );
    }
    for (const strategy of strategies) {
      await waitFor(
        async () => {
          const list = await gql(
            api.url,
            'query($s: ID) { executions(filter: { strategyId: $s }, first: 100) { totalCount edges { node { status } } } }',
            { s: strategy.id },
            trader.accessToken,
          );
          const { totalCount, edges } = list.data!.executions;
          expect(totalCount).toBe(20);
          return edges.every((e: { node: { status: string } }) => e.node.status === 'FILLED') || undefined;
        },
        10_000,
        'every execution of the burst filled',
      );
    }
  });

  it("should answer TradingView's resends (4 deliveries, 5 s apart) with the first alert's id and execute once", async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN' });
    const alert = {
      secret: strategy.secret,
      idempotency_key: 'tv-1-SBIN-2026-11-26T09:30:00Z',
      side: 'BUY',
      qty: 5,
      price: 800,
    };
    const first = await postAlert(api.url, alert);
    await waitForStatus(api.url, trader.accessToken, first.body.alert_id, ['FILLED']);
    // The resends arrive after the first one was fully processed; the clock does not matter to the dedupe
    for (let i = 0; i < 3; i += 1)
      expect(await postAlert(api.url, alert)).toEqual({
        status: 200,
        body: { status: 'duplicate', alert_id: first.body.alert_id },
      });
    const count = await gql(
      api.url,
      'query($s: ID) { executions(filter: { strategyId: $s }) { totalCount } }',
      { s: strategy.id },
      trader.accessToken,
    );
    expect(count.data!.executions.totalCount).toBe(1);
  });

  it("should never stream one user's events to another user, while admins see them", async () => {
    const other = await register(api.url, 'pipeline-other@example.com');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'ITC' });
    const spy = subscribeEvents(api.port, other.accessToken);
    const adminSub = subscribeEvents(api.port, admin.accessToken, { s: strategy.id });
    await Promise.all([spy.ready, adminSub.ready]);
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 450,
    });
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    await waitFor(async () => adminSub.events.length >= 3, 5000, 'admin events');
    await new Promise((r) => setTimeout(r, 200));
    expect(spy.events).toEqual([]);
    expect(await executionByAlert(api.url, other.accessToken, reply.body.alert_id)).toBeUndefined();
    await Promise.all([spy.client.dispose(), adminSub.client.dispose()]);
  });
});
