import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

const TEST_ALERT = `mutation($id: ID!, $side: OrderSide, $price: Decimal) {
  sendTestAlert(strategyId: $id, side: $side, price: $price) { outcome httpStatus response message alert executionId } }`;
const CLOSE = `mutation($s: ID!, $sym: String!, $r: String) {
  closePosition(strategyId: $s, symbol: $sym, requestId: $r) { id side status source qty price } }`;
const EXECUTION = 'query($id: ID!) { execution(id: $id) { id status source side qty avgFillPrice rejectReason } }';

describe('test alerts from the dashboard and closing a position', () => {
  let api: TestApi;
  let trader: Session;
  let other: Session;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'tester@example.com');
    other = await register(api.url, 'tester-other@example.com');
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
  });
  afterAll(async () => {
    await api.close();
  });

  const execution = async (id: string, statuses: string[]) =>
    waitFor(
      async () => {
        const e = (await gql(api.url, EXECUTION, { id }, trader.accessToken)).data?.execution;
        return e && statuses.includes(e.status) ? e : undefined;
      },
      8000,
      `execution ${id} in ${statuses.join('|')}`,
    );
  const position = async (strategyId: string) => {
    const res = await gql(api.url, '{ positions { strategyId symbol qty } }', undefined, trader.accessToken);
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategyId);
  };

  describe('sendTestAlert', () => {
    let paper: Deployed;
    beforeAll(async () => {
      paper = await createAndDeploy(api.url, trader.accessToken, { name: 'Paper test', symbol: 'INFY', qty: 3 });
    });

    it("should run a paper strategy's test alert through the webhook intake, marked as a test, and fill it", async () => {
      const res = await gql(api.url, TEST_ALERT, { id: paper.id, side: 'BUY', price: '1500' }, trader.accessToken);
      expect(res.errors).toBeUndefined();
      const result = res.data!.sendTestAlert;
      expect(result).toMatchObject({ outcome: 'sent', httpStatus: 202, response: { status: 'accepted' } });
      expect(result.message).toMatch(/Accepted \(202\)/);
      expect(result.alert).toMatchObject({
        symbol: 'INFY',
        side: 'BUY',
        qty: '3',
        price: '1500',
        order_type: 'MARKET',
        extras: { test: true },
      });
      expect(result.alert.secret).toBe('whsec_********');
      expect(result.alert.idempotency_key).toMatch(/^test-/);
      expect(JSON.stringify(result)).not.toContain(paper.secret);
      const filled = await execution(result.executionId, ['FILLED']);
      expect(filled).toMatchObject({ source: 'test_alert', side: 'BUY', qty: '3', avgFillPrice: '1500' });

      // Without a price, the latest known one (this fill) is sent
      const exit = (await gql(api.url, TEST_ALERT, { id: paper.id, side: 'EXIT' }, trader.accessToken)).data!
        .sendTestAlert;
      expect(exit.alert).toMatchObject({ side: 'EXIT', price: '1500' });
      expect(exit.alert.qty).toBeUndefined();
      await execution(exit.executionId, ['FILLED']);
      expect((await position(paper.id)).qty).toBe('0');
    });

    it('should answer as the webhook does when the door refuses: 422 with the reason, recorded', async () => {
      await gql(
        api.url,
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { id } }',
        { id: paper.id },
        trader.accessToken,
      );
      try {
        const result = (await gql(api.url, TEST_ALERT, { id: paper.id }, trader.accessToken)).data!.sendTestAlert;
        expect(result).toMatchObject({
          outcome: 'sent',
          httpStatus: 422,
          response: { status: 'rejected', reason: 'strategy_disabled' },
        });
        expect(result.message).toMatch(/Rejected \(422 strategy_disabled\)/);
        expect(await execution(result.executionId, ['REJECTED'])).toMatchObject({
          source: 'test_alert',
          rejectReason: 'strategy_disabled',
        });
      } finally {
        await gql(
          api.url,
          'mutation($id: ID!) { toggleStrategy(id: $id, enabled: true) { id } }',
          { id: paper.id },
          trader.accessToken,
        );
      }
    });

    it("should not move a real exit plan with a test alert's typed price (stop crossed: no exit)", async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, {
        name: 'Test alert vs plan',
        symbol: 'RELIANCE',
        qty: 3,
        alertsPerMinute: 1000,
      });
      const plans = () =>
        api.db.sql.query<{ status: string; stop_price: string }>(
          'select status, stop_price::text from exit_plans where strategy_id = ?',
          [s.id],
        );
      const entry = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'buy',
        order_type: 'MARKET',
        price: '2500',
        stop_loss: 2480,
      });
      expect(entry.status).toBe(202);
      await waitForStatus(api.url, trader.accessToken, entry.body.alert_id, ['FILLED']);
      await waitFor(async () => (await plans())[0]?.status === 'ACTIVE' || undefined, 8000, 'an active plan');

      // A price typed in the dashboard is no market price: 2400 is through the stop, and nothing exits
      const test = (await gql(api.url, TEST_ALERT, { id: s.id, side: 'BUY', price: '2400' }, trader.accessToken)).data!
        .sendTestAlert;
      expect(test).toMatchObject({ outcome: 'sent', httpStatus: 202 });
      await execution(test.executionId, ['FILLED']);
      await new Promise((r) => setTimeout(r, 300));
      const exits = await api.db.sql.query('select id from executions where strategy_id = ? and source = ?', [
        s.id,
        'exit',
      ]);
      expect(exits).toEqual([]);
      expect(await plans()).toEqual([{ status: 'ACTIVE', stop_price: '2480.0000' }]);
      expect((await position(s.id)).qty).toBe('6');
    });

    it("should only check a LIVE strategy's test alert (a dry run), recording and ordering nothing", async () => {
      const live = await createAndDeploy(api.url, trader.accessToken, {
        name: 'Live test',
        symbol: 'RELIANCE',
        mode: 'LIVE',
      });
      const result = (await gql(api.url, TEST_ALERT, { id: live.id, price: '2500' }, trader.accessToken)).data!
        .sendTestAlert;
      // No Dhan account connected: the webhook would refuse it
      expect(result).toMatchObject({
        outcome: 'dry_run',
        httpStatus: 422,
        response: { status: 'rejected', reason: 'broker_not_connected' },
      });
      expect(result.executionId).toBeNull();
      expect(result.message).toMatch(/Nothing was recorded or ordered/);
      const rows = await api.db.sql.query<{ n: string }>('select count(*) as n from executions where strategy_id = ?', [
        live.id,
      ]);
      expect(Number(rows[0].n)).toBe(0);
    });

    it('should tell an undeployed strategy to deploy first, and keep other people out', async () => {
      const created = await gql(
        api.url,
        'mutation { createStrategy(input: { name: "Fresh", symbol: "TCS", timeframe: "5", qty: 1, mode: PAPER }) { id } }',
        undefined,
        trader.accessToken,
      );
      const fresh = created.data!.createStrategy.id;
      const result = (await gql(api.url, TEST_ALERT, { id: fresh }, trader.accessToken)).data!.sendTestAlert;
      expect(result).toMatchObject({
        outcome: 'not_deployed',
        httpStatus: 401,
        response: { error: 'unauthorized' },
        executionId: null,
      });

      expect(errorCode(await gql(api.url, TEST_ALERT, { id: paper.id }, other.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, TEST_ALERT, { id: paper.id }, admin))).toBe('FORBIDDEN');
      expect(errorCode(await gql(api.url, TEST_ALERT, { id: 'nope' }, trader.accessToken))).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(api.url, TEST_ALERT, { id: paper.id }))).toBe('UNAUTHENTICATED');
    });
  });

  describe('closePosition', () => {
    let s: Deployed;
    beforeAll(async () => {
      s = await createAndDeploy(api.url, trader.accessToken, { name: 'Closer', symbol: 'TCS' });
    });

    it('should flatten a position with an EXIT through the pipeline, once per request id', async () => {
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'SELL',
        qty: 7,
        price: 4000,
      });
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      expect((await position(s.id)).qty).toBe('-7');

      const first = await gql(api.url, CLOSE, { s: s.id, sym: 'tcs', r: 'close-1' }, trader.accessToken);
      expect(first.errors).toBeUndefined();
      expect(first.data!.closePosition).toMatchObject({ side: 'EXIT', source: 'close', price: '4000' });
      const again = await gql(api.url, CLOSE, { s: s.id, sym: 'TCS', r: 'close-1' }, trader.accessToken);
      expect(again.errors).toBeUndefined();
      expect(again.data!.closePosition.id).toBe(first.data!.closePosition.id);

      const closed = await execution(first.data!.closePosition.id, ['FILLED']);
      expect(closed).toMatchObject({ side: 'EXIT', qty: '7', avgFillPrice: '4000' });
      expect((await position(s.id)).qty).toBe('0');
      const count = await api.db.sql.query<{ n: string }>(
        `select count(*) as n from executions where strategy_id = ? and source = 'close'`,
        [s.id],
      );
      expect(Number(count[0].n)).toBe(1);

      const flat = await gql(api.url, CLOSE, { s: s.id, sym: 'TCS' }, trader.accessToken);
      expect(errorCode(flat)).toBe('BAD_USER_INPUT');
      expect(flat.errors![0].message).toMatch(/no open position in TCS/);
    });

    it('should close while the kill switch halts new orders, since it only reduces risk', async () => {
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 2,
        price: 4100,
      });
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin);
      try {
        const refused = await postAlert(api.url, {
          secret: s.secret,
          idempotency_key: uniqueKey(),
          side: 'BUY',
          qty: 1,
          price: 4100,
        });
        expect(refused).toMatchObject({ status: 422, body: { reason: 'kill_switch' } });
        const close = (await gql(api.url, CLOSE, { s: s.id, sym: 'TCS' }, trader.accessToken)).data!.closePosition;
        expect(await execution(close.id, ['FILLED', 'REJECTED'])).toMatchObject({ status: 'FILLED', qty: '2' });
      } finally {
        await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin);
      }
      expect((await position(s.id)).qty).toBe('0');
    });

    it('should let only the owner close', async () => {
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 1,
        price: 4100,
      });
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      expect(errorCode(await gql(api.url, CLOSE, { s: s.id, sym: 'TCS' }, other.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, CLOSE, { s: s.id, sym: 'TCS' }, admin))).toBe('FORBIDDEN');
      expect(
        errorCode(await gql(api.url, CLOSE, { s: s.id, sym: 'TCS', r: 'x'.repeat(101) }, trader.accessToken)),
      ).toBe('BAD_USER_INPUT');
      expect((await position(s.id)).qty).toBe('1');
    });
  });
});
