import path from 'node:path';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { maskClientId } from '../src/shared/crypto';
import { startTestApi, TestApi } from './harness/test-api';
import { gql, register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

const FLAKY = path.resolve(__dirname, 'fixtures/flaky-broker.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flaky = require(FLAKY) as {
  state: { calls: number; orders: Map<string, { side: string; quantity: string }>; hold: Promise<void> | null };
};

// The position check decides once per execution: a retry keeps the first attempt's decision (its sync target)
// and does not notify the mismatch again.
describe('the position check of a retried order', () => {
  let api: TestApi;
  afterAll(async () => {
    await api?.close();
  });

  it("should flag the mismatch once and keep trading to TradingView's position on the retry", async () => {
    flaky.state.calls = 0;
    flaky.state.orders.clear();
    flaky.state.hold = null;
    api = await startTestApi({
      BROKER_PLUGINS: FLAKY,
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 1, mode: 'network' } }),
      EXECUTION_MAX_ATTEMPTS: '3',
      EXECUTION_RETRY_BASE_MS: '100',
      EXECUTION_RETRY_MAX_MS: '400',
      JOBS_PROCESS_EVERY: '200 milliseconds',
    });
    const user = await register(api.url, 'position-check-retry@example.com');
    const em = api.db.orm.em.fork();
    em.create(BrokerAccount, {
      user: user.user.id,
      broker: 'flaky',
      clientIdEnc: api.services.box.encrypt('C-1001'),
      clientIdMasked: maskClientId('C-1001'),
      accessTokenEnc: api.services.box.encrypt('token-abc'),
      connectedAt: new Date(),
    } as never);
    await em.flush();
    const strategy = await createAndDeploy(api.url, user.accessToken, {
      symbol: 'RELIANCE',
      mode: 'LIVE',
      broker: 'flaky',
      syncToTradingView: true,
    });
    // TradingView was long 3 (we missed it) and buys 1 more: long 4. The first placement fails, the retry fills
    const reply = await postAlert(
      api.url,
      JSON.stringify({
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'buy',
        qty: '1',
        price: '2500',
        market_position: 'long',
        extras: { prev_market_position: 'long', prev_market_position_size: '3' },
      }),
      'text/plain',
    );
    expect(reply.status).toBe(202);
    const e = await waitForStatus(
      api.url,
      user.accessToken,
      reply.body.alert_id,
      ['FILLED', 'REJECTED', 'FAILED'],
      15_000,
    );
    expect(e).toMatchObject({ status: 'FILLED', qty: '4', attempts: 2 });
    expect([...flaky.state.orders.values()].map((o) => `${o.side} ${o.quantity}`)).toEqual(['BUY 4']);
    const d = (
      await gql(
        api.url,
        'query($id: ID!) { execution(id: $id) { positionCheck events { type payload } } }',
        { id: e.id },
        user.accessToken,
      )
    ).data!.execution;
    expect(d.positionCheck).toMatchObject({ mismatch: true, action: 'synced', targetPosition: '4', ourPosition: '0' });
    const mismatches = d.events.filter(
      (ev: { type: string; payload: { code?: string } }) =>
        ev.type === 'ERROR' && ev.payload.code === 'position_mismatch',
    );
    expect(mismatches).toHaveLength(1);
  }, 30_000);
});
