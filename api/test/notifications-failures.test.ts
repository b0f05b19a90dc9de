import path from 'node:path';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { maskClientId } from '../src/shared/crypto';
import { FakeTelegram } from './harness/fake-telegram';
import { startTestApi, TestApi } from './harness/test-api';
import { register } from './harness/graphql-client';
import { linkTelegram, notificationEnv, notificationLog } from './harness/notifications-kit';
import { createAndDeploy, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

const FLAKY = path.resolve(__dirname, 'fixtures/flaky-broker.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flaky = require(FLAKY) as { state: { calls: number; orders: Map<string, unknown>; hold: Promise<void> | null } };

describe('notifications of failed orders', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    flaky.state.calls = 0;
    flaky.state.orders.clear();
    telegram = await FakeTelegram.start();
    api = await startTestApi(notificationEnv(telegram, undefined, {
      BROKER_PLUGINS: FLAKY, BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 5, mode: 'network' } }),
      EXECUTION_MAX_ATTEMPTS: '2', EXECUTION_RETRY_BASE_MS: '100', EXECUTION_RETRY_MAX_MS: '200', JOBS_PROCESS_EVERY: '200 milliseconds', JOBS_LOCK_LIFETIME_MS: '2000',
    }));
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  it('should send each retried error, then the dead letter once, with the reason and a link', async () => {
    const trader = await register(api.url, 'failures@example.com');
    await linkTelegram(api.url, trader.accessToken, telegram, '6001');
    const em = api.db.orm.em.fork();
    em.create(BrokerAccount, {
      user: trader.user.id, broker: 'flaky', clientIdEnc: api.services.box.encrypt('C-1001'), clientIdMasked: maskClientId('C-1001'),
      accessTokenEnc: api.services.box.encrypt('token-abc'), connectedAt: new Date(),
    } as never);
    await em.flush();
    const strategy = await createAndDeploy(api.url, trader.accessToken, { name: 'Live one', symbol: 'RELIANCE', mode: 'LIVE', broker: 'flaky' });
    const reply = await postAlert(api.url, { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 2, price: 2500 });
    const failed = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FAILED'], 15_000);

    const error = await telegram.waitForSent('6001', (t) => t.startsWith('Error:'));
    expect(error.split('\n')).toEqual([
      'Error: BUY 2 RELIANCE', 'Strategy: Live one (LIVE)', expect.stringMatching(/^Attempt 1 failed: network_error \(connection reset by peer\); retrying in \d+ s$/),
      expect.stringMatching(/^Time: .* IST$/), `http://web.test/executions/${failed.id}`,
    ]);
    const dead = await telegram.waitForSent('6001', (t) => t.startsWith('Order failed'));
    expect(dead.split('\n')).toEqual([
      'Order failed after 2 attempts: BUY 2 RELIANCE', 'Strategy: Live one (LIVE)', 'Reason: network_error (connection reset by peer)',
      'Replay it from the dead letters page once the cause is fixed.', expect.stringMatching(/^Time: .* IST$/), `http://web.test/executions/${failed.id}`,
    ]);
    // The last attempt's ERROR event is the dead letter itself: not told twice
    await new Promise((r) => setTimeout(r, 500));
    const log = await notificationLog(api.url, trader.accessToken);
    expect(log.filter((n) => n.event === 'ERROR')).toHaveLength(1);
    expect(log.filter((n) => n.event === 'DEAD_LETTER')).toHaveLength(1);
  }, 30_000);
});
