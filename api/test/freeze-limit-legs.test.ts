import { Client } from 'pg';
import { databaseUrl } from './harness/databases';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor } from './harness/pipeline';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { MASTER_CSV } from './fixtures/dhan/dhan-kit';

// Issue 18: a quantity above the exchange freeze limit goes as several orders, all one execution. The paper venue
// cannot slice (no has.sliceOrders), so the core sends the legs itself; its freeze limit comes from the instrument
// master the paper strategy resolves against (DhanHQ's, with BROKER_DHAN_FREEZE_QUANTITIES).
const FREEZE_ENV = {
  BROKER_DHAN_INSTRUMENTS_SOURCE: MASTER_CSV,
  BROKER_DHAN_FREEZE_QUANTITIES: JSON.stringify({ NIFTY: 1800 }),
};

async function query<T = Record<string, any>>(api: TestApi, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl(api.dbName) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function niftyStrategy(api: TestApi, trader: Session) {
  return createAndDeploy(api.url, trader.accessToken, {
    symbol: 'NIFTY',
    exchangeSegment: 'NSE_FNO',
    productType: 'MARGIN',
    instrumentOverride: '62329',
    maxQtyPerOrder: '100',
  });
}

const executionOf = async (api: TestApi, alertId: string) =>
  (await query(api, 'select * from executions where alert_id = $1', [alertId]))[0];
const waitForStatus = (api: TestApi, alertId: string, statuses: string[]) =>
  waitFor(
    async () => {
      const e = await executionOf(api, alertId);
      return e && statuses.includes(e.status) ? e : undefined;
    },
    15_000,
    `execution in ${statuses.join('|')}`,
  );
const legsOf = (api: TestApi, executionId: string) =>
  query(api, 'select * from execution_legs where execution_id = $1 order by leg', [executionId]);
const paperOrders = (api: TestApi, base: string) =>
  query(
    api,
    'select client_order_id, quantity::text, status from paper_orders where client_order_id like $1 order by 1',
    [`${base}%`],
  );

describe('quantities above the freeze limit on paper (the core sends the legs)', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi(FREEZE_ENV);
    await api.services.instrumentMaster.refresh();
    trader = await register(api.url, 'legs-trader@example.com');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should send 30 lots of NIFTY (freeze 1800 units) as 1800 + 450 and fill one execution with the sum', async () => {
    const strategy = await niftyStrategy(api, trader);
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 30,
      price: 23000,
    });
    expect(reply.status).toBe(202);
    const execution = await waitForStatus(api, reply.body.alert_id, ['FILLED', 'REJECTED', 'FAILED']);
    expect(execution).toMatchObject({ status: 'FILLED', qty: '2250.0000', filled_qty: '2250.0000' });
    // Both legs filled at the same slipped price, so the average is that price
    const fills = await query(
      api,
      'select qty::text, price::text from fills f where execution_id = $1 order by f.qty desc',
      [execution.id],
    );
    expect(fills.map((f) => f.qty)).toEqual(['1800.0000', '450.0000']);
    expect(execution.avg_fill_price).toBe(fills[0].price);
    expect(execution.broker_request).toMatchObject({
      quantity: '2250',
      split: { via: 'legs', freezeQuantity: '1800', legs: ['1800', '450'] },
    });

    const legs = await legsOf(api, execution.id);
    expect(legs.map((l) => [l.leg, l.client_order_id, l.qty, l.status, l.filled_qty])).toEqual([
      [1, `${execution.client_order_id}-L1`, '1800.0000', 'FILLED', '1800.0000'],
      [2, `${execution.client_order_id}-L2`, '450.0000', 'FILLED', '450.0000'],
    ]);
    expect(await paperOrders(api, execution.client_order_id)).toEqual([
      { client_order_id: `${execution.client_order_id}-L1`, quantity: '1800', status: 'filled' },
      { client_order_id: `${execution.client_order_id}-L2`, quantity: '450', status: 'filled' },
    ]);
    const [position] = await query(api, 'select qty::text from positions where strategy_id = $1', [strategy.id]);
    expect(position.qty).toBe('2250.0000');

    // The execution's legs over GraphQL, as its page shows them
    const answer = await gql(
      api.url,
      'query($id: ID!) { execution(id: $id) { status filledQty legs { leg clientOrderId qty status filledQty } } }',
      { id: execution.id },
      trader.accessToken,
    );
    expect(answer.data!.execution).toEqual({
      status: 'FILLED',
      filledQty: '2250',
      legs: [
        { leg: 1, clientOrderId: `${execution.client_order_id}-L1`, qty: '1800', status: 'FILLED', filledQty: '1800' },
        { leg: 2, clientOrderId: `${execution.client_order_id}-L2`, qty: '450', status: 'FILLED', filledQty: '450' },
      ],
    });
  });

  it('should send a quantity at the limit as one order', async () => {
    const strategy = await niftyStrategy(api, trader);
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 24,
      price: 23000,
    });
    const execution = await waitForStatus(api, reply.body.alert_id, ['FILLED', 'REJECTED', 'FAILED']);
    expect(execution).toMatchObject({ status: 'FILLED', filled_qty: '1800.0000' });
    expect(await legsOf(api, execution.id)).toEqual([]);
    expect(await paperOrders(api, execution.client_order_id)).toEqual([
      { client_order_id: execution.client_order_id, quantity: '1800', status: 'filled' },
    ]);
  });
});

describe('a process that stops between legs', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    // One paper order a second: the second leg is refused for now (retryable) and left for the recovery sweep,
    // which this test runs by hand (RECOVERY_SWEEP_SECONDS keeps the timer out of the way)
    api = await startTestApi({ ...FREEZE_ENV, BROKER_PAPER_ORDERS_PER_SECOND: '1', RECOVERY_SWEEP_SECONDS: '3600' });
    await api.services.instrumentMaster.refresh();
    trader = await register(api.url, 'legs-crash@example.com');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should resume the unsent legs from the recovery sweep without sending any leg twice', async () => {
    const strategy = await niftyStrategy(api, trader);
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 60,
      price: 23000,
    });
    expect(reply.status).toBe(202);
    const partial = await waitForStatus(api, reply.body.alert_id, ['PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'FAILED']);
    expect(partial).toMatchObject({ status: 'PARTIALLY_FILLED', qty: '4500.0000', filled_qty: '1800.0000' });
    await waitFor(
      async () =>
        (await query(api, 'select 1 from executions where id = $1 and lease_until is null', [partial.id])).length > 0,
      5000,
      'the attempt to end',
    );
    expect((await legsOf(api, partial.id)).map((l) => l.status)).toEqual(['FILLED', 'NEW', 'NEW']);

    // The crash: leg 1 reached the broker but its answer was never written down
    await query(
      api,
      `update execution_legs set status = 'NEW', broker_order_id = null, filled_qty = 0, avg_fill_price = null,
         updated_at = now() - interval '1 minute' where execution_id = $1`,
      [partial.id],
    );
    // The sweep sends one leg per second here (the paper limit): run it until every leg is out
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 1100));
      await api.services.recovery.sweepPending(0);
      if ((await executionOf(api, reply.body.alert_id)).status === 'FILLED') break;
    }
    const execution = await executionOf(api, reply.body.alert_id);
    expect(execution).toMatchObject({ status: 'FILLED', qty: '4500.0000', filled_qty: '4500.0000' });
    expect(await paperOrders(api, execution.client_order_id)).toEqual([
      { client_order_id: `${execution.client_order_id}-L1`, quantity: '1800', status: 'filled' },
      { client_order_id: `${execution.client_order_id}-L2`, quantity: '1800', status: 'filled' },
      { client_order_id: `${execution.client_order_id}-L3`, quantity: '900', status: 'filled' },
    ]);
    expect((await legsOf(api, execution.id)).map((l) => [l.status, l.filled_qty])).toEqual([
      ['FILLED', '1800.0000'],
      ['FILLED', '1800.0000'],
      ['FILLED', '900.0000'],
    ]);
    const fills = await query(api, 'select qty::text from fills where execution_id = $1', [execution.id]);
    expect(fills).toHaveLength(3);
  });

  it('should not send the remaining legs once the kill switch is on, and end with what filled', async () => {
    const strategy = await niftyStrategy(api, trader);
    await new Promise((r) => setTimeout(r, 1100)); // the paper limit of the test before
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 30,
      price: 23000,
    });
    const partial = await waitForStatus(api, reply.body.alert_id, ['PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'FAILED']);
    expect(partial).toMatchObject({ status: 'PARTIALLY_FILLED', filled_qty: '1800.0000' });
    await waitFor(
      async () =>
        (await query(api, 'select 1 from executions where id = $1 and lease_until is null', [partial.id])).length > 0,
      5000,
      'the attempt to end',
    );
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    expect((await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin)).data).toBeTruthy();
    try {
      await query(api, `update execution_legs set updated_at = now() - interval '1 minute' where execution_id = $1`, [
        partial.id,
      ]);
      await new Promise((r) => setTimeout(r, 1100));
      await api.services.recovery.sweepPending(0);
      const execution = await executionOf(api, reply.body.alert_id);
      expect(execution).toMatchObject({
        status: 'CANCELLED',
        filled_qty: '1800.0000',
        reject_reason: 'leg_rejected',
        last_error: 'legs not sent: the kill switch is on',
      });
      expect((await legsOf(api, execution.id)).map((l) => l.status)).toEqual(['FILLED', 'CANCELLED']);
      expect(await paperOrders(api, execution.client_order_id)).toHaveLength(1);
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin);
    }
  });
});
