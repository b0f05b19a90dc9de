import path from 'node:path';
import { Client } from 'pg';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { maskClientId } from '../src/shared/crypto';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { databaseUrl } from './harness/databases';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Issue 11, item 6: every later action on an execution goes to the broker and account it was placed with.
describe('orders follow the execution, not the strategy it came from', () => {
  let api: TestApi;
  let trader: Session;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'routing@example.com');
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
  });
  afterAll(async () => {
    await api.close();
  });

  const sql = async (text: string, params: unknown[] = []) => {
    const db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
    try {
      return (await db.query(text, params)).rows;
    } finally {
      await db.end();
    }
  };
  const alert = (secret: string, extra: Record<string, unknown>) =>
    postAlert(api.url, { secret, idempotency_key: uniqueKey(), qty: 1, ...extra });
  const update = (id: string, input: Record<string, unknown>) =>
    gql(
      api.url,
      'mutation($id: ID!, $i: StrategyPatch!) { updateStrategy(id: $id, input: $i) { mode broker name } }',
      { id, i: input },
      trader.accessToken,
    );

  it('should refuse switching mode or broker while an order is working or a position is open, saying why', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', alertsPerMinute: 1000 });
    // A resting buy limit far below the market: PLACED at the paper broker
    const resting = await alert(strategy.secret, { side: 'BUY', order_type: 'LIMIT', price: 100 });
    await waitForStatus(api.url, trader.accessToken, resting.body.alert_id, ['PLACED']);
    const live = await update(strategy.id, { mode: 'LIVE' });
    expect(errorCode(live)).toBe('BAD_USER_INPUT');
    expect(live.errors![0].message).toBe(
      'cannot switch mode from PAPER to LIVE: 1 order is still working; cancel the orders and close the position first',
    );
    // Other settings still change
    expect((await update(strategy.id, { name: 'Renamed' })).data!.updateStrategy).toMatchObject({
      name: 'Renamed',
      mode: 'PAPER',
    });

    const other = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', alertsPerMinute: 1000 });
    const bought = await alert(other.secret, { side: 'BUY', qty: 2, price: 4000 });
    await waitForStatus(api.url, trader.accessToken, bought.body.alert_id, ['FILLED']);
    const switched = await update(other.id, { mode: 'LIVE', broker: 'dhan' });
    expect(switched.errors![0].message).toBe(
      'cannot switch mode from PAPER to LIVE: the PAPER TCS position (2) is open; cancel the orders and close the position first',
    );
    // Flat again: the switch goes through
    const exit = await alert(other.secret, { side: 'EXIT', qty: undefined, price: 4000 });
    await waitForStatus(api.url, trader.accessToken, exit.body.alert_id, ['FILLED']);
    expect((await update(other.id, { mode: 'LIVE' })).data!.updateStrategy).toMatchObject({ mode: 'LIVE' });
  });

  it('should record the account on the execution and cancel a resting paper order there after the strategy went LIVE', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY', alertsPerMinute: 1000 });
    const resting = await alert(strategy.secret, { side: 'BUY', order_type: 'LIMIT', price: 100 });
    const placed = await waitForStatus(api.url, trader.accessToken, resting.body.alert_id, ['PLACED']);
    const [row] = await sql('select broker, broker_account_id from executions where id = $1', [placed.id]);
    expect(row).toEqual({ broker: 'paper', broker_account_id: strategy.id });
    // The strategy now says LIVE at dhan (switched before this rule existed, or behind the api's back)
    await sql(`update strategies set mode = 'LIVE', broker = 'dhan' where id = $1`, [strategy.id]);
    api.services.strategyCache.invalidate();

    // The kill switch cancels the order where it rests: at the paper broker, in the strategy's paper account
    expect((await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin)).data).toEqual({
      setKillSwitch: true,
    });
    try {
      await waitForStatus(api.url, trader.accessToken, resting.body.alert_id, ['CANCELLED']);
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin);
    }
    const paper = await api.services.brokers.client('paper', strategy.id);
    expect((await paper.getOrder({ clientOrderId: placed.clientOrderId })).status).toBe('cancelled');
  });
});

describe('a retry after the strategy changed', () => {
  it('should go to the broker and account the first attempt used', async () => {
    const FLAKY = path.resolve(__dirname, 'fixtures/flaky-broker.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const flaky = require(FLAKY) as {
      state: { calls: number; orders: Map<string, unknown>; hold: Promise<void> | null };
    };
    flaky.state.calls = 0;
    flaky.state.orders.clear();
    const api = await startTestApi({
      BROKER_PLUGINS: FLAKY,
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 1, mode: 'network' } }),
      EXECUTION_RETRY_BASE_MS: '300',
      EXECUTION_RETRY_MAX_MS: '300',
      JOBS_PROCESS_EVERY: '200 milliseconds',
    });
    try {
      const user = await register(api.url, 'retry-route@example.com');
      const em = api.db.orm.em.fork();
      em.create(BrokerAccount, {
        user: user.user.id,
        broker: 'flaky',
        clientIdEnc: api.services.box.encrypt('C-1'),
        clientIdMasked: maskClientId('C-1'),
        accessTokenEnc: api.services.box.encrypt('token-1'),
        connectedAt: new Date(),
      } as never);
      await em.flush();
      const strategy = await createAndDeploy(api.url, user.accessToken, {
        symbol: 'RELIANCE',
        mode: 'LIVE',
        broker: 'flaky',
      });
      let release!: () => void;
      flaky.state.hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const reply = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 1,
        price: 2500,
      });
      expect(reply.status).toBe(202);
      await waitFor(async () => flaky.state.calls === 1, 8000, 'the first attempt at the broker');
      // While the first attempt is in flight the strategy becomes PAPER (behind the api's back)
      const db = new Client({ connectionString: databaseUrl(api.dbName) });
      await db.connect();
      await db.query(`update strategies set mode = 'PAPER' where id = $1`, [strategy.id]);
      await db.end();
      api.services.strategyCache.invalidate();
      flaky.state.hold = null;
      release();
      const filled = await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FILLED'], 10_000);
      expect(filled).toMatchObject({ attempts: 2, mode: 'LIVE' });
      expect(flaky.state.calls).toBe(2);
      expect(flaky.state.orders.size).toBe(1);
      const paper = await api.services.brokers.client('paper', strategy.id);
      expect(await paper.listOrders()).toEqual([]);
    } finally {
      await api.close();
    }
  }, 30_000);
});
