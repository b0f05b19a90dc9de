import path from 'node:path';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { Strategy } from '../src/modules/strategies/strategy.entity';
import { maskClientId } from '../src/shared/crypto';
import { startApiOn, startTestApi, TestApi } from './harness/test-api';
import { dropDatabase } from './harness/databases';
import { gql, register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

const FLAKY = path.resolve(__dirname, 'fixtures/flaky-broker.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flaky = require(FLAKY) as { state: { calls: number; orders: Map<string, unknown>; hold: Promise<void> | null } };

async function connectFlaky(api: TestApi, userId: string): Promise<void> {
  const em = api.db.orm.em.fork();
  em.create(BrokerAccount, {
    user: userId,
    broker: 'flaky',
    clientIdEnc: api.services.box.encrypt('C-1001'),
    clientIdMasked: maskClientId('C-1001'),
    accessTokenEnc: api.services.box.encrypt('token-abc'),
    connectedAt: new Date(),
  } as never);
  await em.flush();
}

describe('an alert accepted just before the process stopped', () => {
  it('should be executed once by the next process on start', async () => {
    const first = await startTestApi();
    const user = await register(first.url, 'recover@example.com');
    const strategy = await createAndDeploy(first.url, user.accessToken, { symbol: 'HDFCBANK', qty: 3 });
    // Exactly what the webhook commits before its 202, without starting the in-process attempt: the crash window
    const entity = await first.db.orm.em.fork().findOneOrFail(Strategy, strategy.id);
    const accepted = await first.services.intake.accept(
      entity,
      {
        secret: strategy.secret,
        idempotencyKey: uniqueKey(),
        side: 'BUY',
        qty: '3',
        orderType: 'MARKET',
        price: '1600',
      },
      '{}',
      '127.0.0.1',
    );
    expect(accepted.kind).toBe('accepted');
    await first.stop();

    const second = await startApiOn(first.dbName);
    try {
      const alertId = (accepted as { alertId: string }).alertId;
      const execution = await waitForStatus(second.url, user.accessToken, alertId, ['FILLED'], 10_000);
      expect(execution).toMatchObject({ qty: '3', filledQty: '3', attempts: 1 });
      // A second sweep finds nothing to do, and the paper broker holds exactly one order for it
      expect(await second.services.recovery.sweepPending(0)).toBe(0);
      const client = await second.services.brokers.client('paper', strategy.id);
      expect((await client.listOrders()).filter((o) => o.clientOrderId === execution.clientOrderId)).toHaveLength(1);
    } finally {
      await second.stop();
      await dropDatabase(first.dbName);
    }
  }, 60_000);
});

describe('retries, dead letters and replay', () => {
  let api: TestApi;
  afterEach(async () => {
    await api?.close();
  });

  const setup = async (env: Record<string, string>) => {
    flaky.state.calls = 0;
    flaky.state.orders.clear();
    flaky.state.hold = null;
    api = await startTestApi({
      BROKER_PLUGINS: FLAKY,
      EXECUTION_MAX_ATTEMPTS: '3',
      EXECUTION_RETRY_BASE_MS: '100',
      EXECUTION_RETRY_MAX_MS: '400',
      JOBS_PROCESS_EVERY: '200 milliseconds',
      JOBS_LOCK_LIFETIME_MS: '2000',
      ...env,
    });
    const user = await register(api.url, 'retry@example.com');
    await connectFlaky(api, user.user.id);
    const strategy = await createAndDeploy(api.url, user.accessToken, {
      symbol: 'RELIANCE',
      mode: 'LIVE',
      broker: 'flaky',
    });
    return { user, strategy };
  };

  it('should retry a network failure with backoff, dead-letter it when attempts run out, and replay it once fixed', async () => {
    const { user, strategy } = await setup({
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 3, mode: 'network' } }),
    });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 2,
      price: 2500,
    });
    expect(reply.status).toBe(202);
    const failed = await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FAILED'], 15_000);
    expect(failed).toMatchObject({
      attempts: 3,
      rejectReason: 'retries_exhausted',
      lastError: 'connection reset by peer',
    });
    expect(flaky.state.calls).toBe(3);
    expect(flaky.state.orders.size).toBe(0);

    const letters = await gql(
      api.url,
      '{ deadLetters { id executionId reason lastError attempts replayedAt } }',
      undefined,
      user.accessToken,
    );
    expect(letters.data!.deadLetters).toEqual([
      {
        id: expect.any(String),
        executionId: failed.id,
        reason: 'network_error',
        lastError: 'connection reset by peer',
        attempts: 3,
        replayedAt: null,
      },
    ]);
    const detail = await gql(
      api.url,
      'query($id: ID!) { execution(id: $id) { events { type payload } } }',
      { id: failed.id },
      user.accessToken,
    );
    const errors = detail.data!.execution.events.filter((e: { type: string }) => e.type === 'ERROR');
    expect(errors).toHaveLength(3);
    expect(errors[2].payload).toMatchObject({ deadLetter: true });

    const replay = await gql(
      api.url,
      'mutation($id: ID!) { replayDeadLetter(id: $id) { id status filledQty } }',
      { id: letters.data!.deadLetters[0].id },
      user.accessToken,
    );
    expect(replay.data!.replayDeadLetter).toEqual({ id: failed.id, status: 'FILLED', filledQty: '2' });
    expect(flaky.state.orders.size).toBe(1);
    const again = await gql(
      api.url,
      'mutation($id: ID!) { replayDeadLetter(id: $id) { id } }',
      { id: letters.data!.deadLetters[0].id },
      user.accessToken,
    );
    expect(again.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  }, 30_000);

  it('should still run a retry that asks while the previous attempt is ending', async () => {
    const { user, strategy } = await setup({
      EXECUTION_RETRY_BASE_MS: '1',
      EXECUTION_RETRY_MAX_MS: '1',
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 1, mode: 'network' } }),
    });
    // No retry job is scheduled: the only retry is the one this test asks for, as a job firing early would
    api.services.retryScheduler.agenda = undefined;
    api.services.retryScheduler.runDue = undefined;
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
    const pending = await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['PENDING'], 10_000);
    await waitFor(async () => flaky.state.calls === 1, 10_000, 'the first attempt inside placeOrder');
    const retry = api.services.executor.run(pending.id);
    release();
    await retry;
    const done = await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FILLED'], 10_000);
    expect(done).toMatchObject({ attempts: 2, filledQty: '1' });
    expect(flaky.state.orders.size).toBe(1);
  }, 30_000);

  it('should reconcile an unknown outcome by client order id instead of sending the order again', async () => {
    const { user, strategy } = await setup({
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 1, mode: 'drop' } }),
    });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 4,
      price: 2500,
    });
    const filled = await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FILLED'], 15_000);
    expect(filled).toMatchObject({ attempts: 2, filledQty: '4' });
    expect(flaky.state.calls).toBe(1);
    expect(flaky.state.orders.size).toBe(1);
  }, 30_000);

  it("should not let one user replay another user's dead letter", async () => {
    const { user, strategy } = await setup({
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ flaky: { failures: 5, mode: 'network' } }),
    });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FAILED'], 15_000);
    const letters = await gql(api.url, '{ deadLetters { id } }', undefined, user.accessToken);
    const stranger = await register(api.url, 'stranger@example.com');
    expect((await gql(api.url, '{ deadLetters { id } }', undefined, stranger.accessToken)).data!.deadLetters).toEqual(
      [],
    );
    const res = await gql(
      api.url,
      'mutation($id: ID!) { replayDeadLetter(id: $id) { id } }',
      { id: letters.data!.deadLetters[0].id },
      stranger.accessToken,
    );
    expect(res.errors![0].extensions!.code).toBe('NOT_FOUND');
  }, 30_000);
});
