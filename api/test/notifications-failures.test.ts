import path from 'node:path';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { maskClientId } from '../src/shared/crypto';
import { FakeTelegram } from './harness/fake-telegram';
import { ADMIN, startApiOn, startTestApi, TestApi } from './harness/test-api';
import { dropDatabase } from './harness/databases';
import { gql, login, register } from './harness/graphql-client';
import { linkTelegram, notificationEnv, notificationLog } from './harness/notifications-kit';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Each test waits on real deliveries (one message a second per chat, retry backoff): jest's 5 s default is too short under load
jest.setTimeout(30_000);

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
    api = await startTestApi(
      notificationEnv(telegram, undefined, {
        BROKER_PLUGINS: FLAKY,
        BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 5, mode: 'network' } }),
        EXECUTION_MAX_ATTEMPTS: '2',
        EXECUTION_RETRY_BASE_MS: '100',
        EXECUTION_RETRY_MAX_MS: '200',
        JOBS_PROCESS_EVERY: '200 milliseconds',
        JOBS_LOCK_LIFETIME_MS: '2000',
      }),
    );
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
      user: trader.user.id,
      broker: 'flaky',
      clientIdEnc: api.services.box.encrypt('C-1001'),
      clientIdMasked: maskClientId('C-1001'),
      accessTokenEnc: api.services.box.encrypt('token-abc'),
      connectedAt: new Date(),
    } as never);
    await em.flush();
    const strategy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Live one',
      symbol: 'RELIANCE',
      mode: 'LIVE',
      broker: 'flaky',
    });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 2,
      price: 2500,
    });
    const failed = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FAILED'], 15_000);

    const error = await telegram.waitForSent('6001', (t) => t.startsWith('Error:'));
    expect(error.split('\n')).toEqual([
      'Error: BUY 2 RELIANCE',
      'Strategy: Live one (LIVE)',
      expect.stringMatching(/^Attempt 1 failed: network_error \(connection reset by peer\); retrying in \d+ s$/),
      expect.stringMatching(/^Time: .* IST$/),
      `http://web.test/executions/${failed.id}`,
    ]);
    const dead = await telegram.waitForSent('6001', (t) => t.startsWith('Order failed'));
    expect(dead.split('\n')).toEqual([
      'Order failed after 2 attempts: BUY 2 RELIANCE',
      'Strategy: Live one (LIVE)',
      'Reason: network_error (connection reset by peer)',
      'Replay it from the dead letters page once the cause is fixed.',
      expect.stringMatching(/^Time: .* IST$/),
      `http://web.test/executions/${failed.id}`,
    ]);
    // The last attempt's ERROR event is the dead letter itself: not told twice
    await new Promise((r) => setTimeout(r, 500));
    const log = await notificationLog(api.url, trader.accessToken);
    expect(log.filter((n) => n.event === 'ERROR')).toHaveLength(1);
    expect(log.filter((n) => n.event === 'DEAD_LETTER')).toHaveLength(1);
  }, 30_000);

  it("should tell administrators of a system error on someone else's order", async () => {
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    await linkTelegram(api.url, admin.accessToken, telegram, '6002');
    const owner = await register(api.url, 'system-error@example.com');
    const strategy = await createAndDeploy(api.url, owner.accessToken, { name: 'Paper one', symbol: 'TCS' });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 4000,
    });
    const execution = await waitForStatus(api.url, owner.accessToken, reply.body.alert_id, ['FILLED']);
    // An unexpected (non-broker) failure of an attempt, as the executor publishes it
    api.services.events.publish([
      {
        message: {
          id: execution.id,
          type: 'ERROR' as never,
          executionId: execution.id,
          alertId: reply.body.alert_id,
          correlationId: execution.correlationId,
          strategyId: strategy.id,
          at: new Date(),
          payload: { attempt: 1, code: 'internal_error', message: 'boom', retryInMs: 1000 },
          userId: owner.user.id,
        },
      },
    ]);
    const text = await telegram.waitForSent('6002', (t) => t.startsWith('Error:'));
    expect(text).toMatch(
      /^Error: BUY 1 TCS\nStrategy: Paper one \(PAPER\)\nAttempt 1 failed: internal_error \(boom\); retrying in 1 s\n/,
    );
  });
});

describe('notifications across a restart', () => {
  it('should keep what could not be sent and send it after the api starts again', async () => {
    const telegram = await FakeTelegram.start();
    const first = await startTestApi(notificationEnv(telegram));
    let second: TestApi | undefined;
    try {
      const trader = await register(first.url, 'restart@example.com');
      const channelId = await linkTelegram(first.url, trader.accessToken, telegram, '6101');
      telegram.downWith = 500;
      await gql(
        first.url,
        'mutation($id: ID!) { sendTestNotification(channelId: $id) }',
        { id: channelId },
        trader.accessToken,
      );
      await waitFor(
        async () => (await notificationLog(first.url, trader.accessToken, 1))[0]?.attempts >= 1,
        5000,
        'a failed attempt',
      );
      await first.stop();
      telegram.downWith = undefined;
      second = await startApiOn(first.dbName, notificationEnv(telegram));
      await telegram.waitForSent('6101', (t) => t.startsWith('Test notification'), 10_000);
      expect((await notificationLog(second.url, trader.accessToken, 1))[0]).toMatchObject({
        event: 'TEST',
        status: 'SENT',
      });
    } finally {
      await second?.stop();
      await dropDatabase(first.dbName);
      await telegram.close();
    }
  }, 30_000);
});
