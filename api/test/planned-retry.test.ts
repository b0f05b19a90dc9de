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

// A failed attempt records the order it planned (a reversal's 14, an EXIT's whole position) as the execution's qty;
// the retry must plan again from what the alert asked for, or it reverses by the previous plan on top of the position.
describe("a retried order is planned from the alert, not from the failed attempt's plan", () => {
  let api: TestApi;
  afterAll(async () => {
    await api?.close();
  });

  it('should reverse by the alert quantity on the retry of a failed reversal', async () => {
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
    const user = await register(api.url, 'planned-retry@example.com');
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
    });
    const send = async (side: string, qty: number) => {
      const reply = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side,
        qty,
        price: 2500,
      });
      expect(reply.status).toBe(202);
      return waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED', 'FAILED'], 15_000);
    };

    // The entry's first placement fails, its retry fills 10
    expect(await send('BUY', 10)).toMatchObject({ status: 'FILLED', filledQty: '10', attempts: 2 });
    // The reversal's first placement fails too: 10 + 4 is recorded, the retry must still send 14, not 10 + 14
    flaky.state.calls = 0;
    const flip = await send('SELL', 4);
    expect(flip).toMatchObject({ status: 'FILLED', qty: '14', filledQty: '14', attempts: 2 });
    expect([...flaky.state.orders.values()].map((o) => `${o.side} ${o.quantity}`)).toEqual(['BUY 10', 'SELL 14']);
    const positions = await gql(api.url, '{ positions(mode: LIVE) { qty } }', undefined, user.accessToken);
    expect(positions.data!.positions).toEqual([{ qty: '-4' }]);
  }, 30_000);
});
