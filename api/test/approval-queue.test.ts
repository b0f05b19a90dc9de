import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import {
  createAndDeploy,
  Deployed,
  executionByAlert,
  postAlert,
  subscribeEvents,
  uniqueKey,
  waitFor,
  waitForStatus,
} from './harness/pipeline';

// Issue 18 part B, semi-automatic mode on paper: a strategy with requireApproval keeps its accepted alerts as
// AWAITING_APPROVAL (no order) until its owner approves (re-checked, then placed once) or rejects, or they expire.
describe('approval queue', () => {
  let api: TestApi;
  let trader: Session;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'approvals@example.com');
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
  });
  afterAll(async () => {
    await api.close();
  });

  const FIELDS = 'id status rejectReason lastError filledQty';
  const approve = (id: string, token = trader.accessToken) =>
    gql(api.url, `mutation($id: ID!) { approveExecution(id: $id) { ${FIELDS} } }`, { id }, token);
  const reject = (id: string, reason?: string, token = trader.accessToken) =>
    gql(
      api.url,
      `mutation($id: ID!, $r: String) { rejectExecution(id: $id, reason: $r) { ${FIELDS} } }`,
      { id, r: reason },
      token,
    );
  const waiting = async (s: Deployed, fields: Record<string, unknown> = {}) => {
    const reply = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'buy',
      qty: '1',
      price: '1500',
      order_type: 'MARKET',
      ...fields,
    });
    expect(reply.status).toBe(202);
    const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['AWAITING_APPROVAL']);
    return { alertId: reply.body.alert_id as string, id: execution.id as string };
  };
  // What reached the (paper) broker for an execution: its fills, and its strategy's position
  const orders = async (executionId: string) =>
    (await api.db.sql.query<{ n: string }>('select count(*) as n from fills where execution_id = ?', [executionId]))[0]
      .n;
  const position = async (s: Deployed) =>
    (await api.db.sql.query<{ qty: string }>('select qty from positions where strategy_id = ?', [s.id]))[0]?.qty;
  const alertRow = async (alertId: string) =>
    (
      await api.db.sql.query<{ status: string; reject_reason: string | null }>(
        'select status, reject_reason from alerts where id = ?',
        [alertId],
      )
    )[0];

  it('should hold an accepted alert as AWAITING_APPROVAL, in the event stream, without an order; approving places it once', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'INFY',
      requireApproval: true,
      approvalTimeoutMinutes: 10,
    });
    const stream = subscribeEvents(api.port, trader.accessToken, { s: s.id });
    await stream.ready;
    const { id, alertId } = await waiting(s);
    await waitFor(
      async () => stream.events.some((e) => e.executionId === id && e.type === 'AWAITING_APPROVAL'),
      4000,
      'the AWAITING_APPROVAL event',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await executionByAlert(api.url, trader.accessToken, alertId)).status).toBe('AWAITING_APPROVAL');
    expect(await orders(id)).toBe('0');

    const [first, second] = await Promise.all([approve(id), approve(id)]);
    expect(first.errors ?? second.errors).toBeUndefined();
    const filled = await waitForStatus(api.url, trader.accessToken, alertId, ['FILLED']);
    expect(filled).toMatchObject({ status: 'FILLED', filledQty: '1' });
    expect(await orders(id)).toBe('1');
    expect(Number(await position(s))).toBe(1);
    // A third approval, once filled, returns it as it is
    expect((await approve(id)).data?.approveExecution).toMatchObject({ status: 'FILLED' });
    expect(await orders(id)).toBe('1');
    await waitFor(
      async () => stream.events.some((e) => e.executionId === id && e.type === 'APPROVED'),
      4000,
      'the APPROVED event',
    );
    expect((await alertRow(alertId)).status).toBe('PROCESSED');
    await stream.client.dispose();
  });

  it("should reject with the owner's reason, and refuse an approval after it", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', requireApproval: true });
    const { id, alertId } = await waiting(s, { price: '3500' });
    const res = await reject(id, 'not this one');
    expect(res.data?.rejectExecution).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'approval_rejected',
      lastError: 'rejected by its owner: not this one',
    });
    expect(await alertRow(alertId)).toEqual({ status: 'REJECTED', reject_reason: 'approval_rejected' });
    expect(errorCode(await approve(id))).toBe('CONFLICT');
    expect(await orders(id)).toBe('0');
  });

  it('should let only the owner answer: another user and an admin get NOT_FOUND', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN', requireApproval: true });
    const { id } = await waiting(s, { price: '800' });
    const other = await register(api.url, 'approvals-other@example.com');
    expect(errorCode(await approve(id, other.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await reject(id, undefined, admin))).toBe('NOT_FOUND');
    expect(
      (
        await executionByAlert(
          api.url,
          trader.accessToken,
          (await api.db.sql.query<{ alert_id: string }>('select alert_id from executions where id = ?', [id]))[0]
            .alert_id,
        )
      ).status,
    ).toBe('AWAITING_APPROVAL');
  });

  it('should re-check at approval: with the kill switch on since, the approval rejects (kill_switch) and places nothing', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'HDFCBANK', requireApproval: true });
    const { id, alertId } = await waiting(s, { price: '1600' });
    expect((await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin)).data).toEqual({
      setKillSwitch: true,
    });
    try {
      const res = await approve(id);
      expect(res.data?.approveExecution).toMatchObject({ status: 'REJECTED', rejectReason: 'kill_switch' });
      expect(res.data?.approveExecution.lastError).toMatch(/^approval refused: trading is halted/);
      expect(await alertRow(alertId)).toEqual({ status: 'REJECTED', reject_reason: 'kill_switch' });
      expect(await orders(id)).toBe('0');
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin);
    }
  });

  it("should re-check the signal's age at approval: an alert whose time is older than maxSignalAgeSeconds by then is stale_signal", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'ITC',
      requireApproval: true,
      maxSignalAgeSeconds: 2,
    });
    const { id } = await waiting(s, { price: '450', time: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await approve(id)).data?.approveExecution).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'stale_signal',
    });
    expect(await orders(id)).toBe('0');
  });

  it('should expire what waited longer than approvalTimeoutMinutes (approval_expired), and leave younger ones waiting', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'WIPRO',
      requireApproval: true,
      approvalTimeoutMinutes: 1,
    });
    const old = await waiting(s, { price: '500' });
    const fresh = await waiting(s, { price: '500' });
    await api.db.sql.query(`update executions set created_at = now() - interval '61 seconds' where id = ?`, [old.id]);
    expect(await api.services.approvals.expire()).toBe(1);
    expect(await executionByAlert(api.url, trader.accessToken, old.alertId)).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'approval_expired',
      lastError: 'not approved within 1 min',
    });
    expect(await alertRow(old.alertId)).toEqual({ status: 'REJECTED', reject_reason: 'approval_expired' });
    expect((await executionByAlert(api.url, trader.accessToken, fresh.alertId)).status).toBe('AWAITING_APPROVAL');
    expect(await api.services.approvals.expire()).toBe(0);
  });

  it('should let a strategy without requireApproval trade at once, as before', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'LT' });
    const reply = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'buy',
      qty: '1',
      price: '3000',
      order_type: 'MARKET',
    });
    expect((await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED'])).status).toBe('FILLED');
  });
});
