import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register } from './harness/graphql-client';
import { createAndDeploy, executionByAlert, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Issue 11, item 7: a disabled user's strategies stop trading.
describe('disabling a user', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi();
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
  });
  afterAll(async () => {
    await api.close();
  });

  const setStatus = (id: string, status: string) =>
    gql(
      api.url,
      'mutation($id: ID!, $s: UserStatus!) { setUserStatus(id: $id, status: $s) { status } }',
      { id, s: status },
      admin,
    );

  it('should cancel their resting orders and refuse their alerts as account_disabled, still recording them', async () => {
    const trader = await register(api.url, 'to-disable@example.com');
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', alertsPerMinute: 1000 });
    const resting = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      order_type: 'LIMIT',
      price: 100,
    });
    await waitForStatus(api.url, trader.accessToken, resting.body.alert_id, ['PLACED']);

    expect((await setStatus(trader.user.id, 'DISABLED')).data).toEqual({ setUserStatus: { status: 'DISABLED' } });
    // The admin sees every execution: the resting order is cancelled at the paper broker
    await waitForStatus(api.url, admin, resting.body.alert_id, ['CANCELLED']);

    const refused = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      status: 'rejected',
      reason: 'account_disabled',
      alert_id: expect.any(String),
    });
    expect(await waitForStatus(api.url, admin, refused.body.alert_id, ['REJECTED'])).toMatchObject({
      rejectReason: 'account_disabled',
    });

    // Enabled again, the same secret trades
    await setStatus(trader.user.id, 'ACTIVE');
    const again = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    expect(again.status).toBe(202);
    await waitForStatus(api.url, admin, again.body.alert_id, ['FILLED']);
  });

  it('should reject an alert accepted just before, still waiting to execute', async () => {
    const trader = await register(api.url, 'waiting@example.com');
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', afterMarketOrders: true });
    // Accepted, not yet executed (what the webhook commits before its 202; the attempt has not run)
    const snapshot = (await api.services.strategyCache.byId(strategy.id))!;
    const accepted = await api.services.intake.accept(
      snapshot,
      {
        secret: strategy.secret,
        idempotencyKey: uniqueKey(),
        side: 'BUY',
        qty: '1',
        orderType: 'MARKET',
        price: '4000',
      },
      '{}',
      '127.0.0.1',
    );
    expect(accepted.kind).toBe('accepted');
    const alertId = (accepted as { alertId: string }).alertId;
    await setStatus(trader.user.id, 'DISABLED');
    const rejected = await waitFor(
      async () => {
        const e = await executionByAlert(api.url, admin, alertId);
        return e?.status === 'REJECTED' ? e : undefined;
      },
      8000,
      'the waiting alert to be rejected',
    );
    expect(rejected).toMatchObject({ rejectReason: 'account_disabled', filledQty: '0' });
  });
});
