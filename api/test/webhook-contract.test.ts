import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// Every row of the contract's response table for POST /api/webhook/tradingview
describe('TradingView webhook contract', () => {
  let api: TestApi;
  let trader: Session;
  let strategy: Deployed;
  const alert = (extra: Record<string, unknown> = {}) => ({
    secret: strategy.secret,
    idempotency_key: uniqueKey(),
    symbol: 'RELIANCE',
    side: 'BUY',
    qty: 1,
    price: 2500,
    ...extra,
  });

  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'webhook@example.com');
    strategy = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute: 1000 });
  });
  afterAll(async () => {
    await api.close();
  });

  const alertCount = async () =>
    Number((await api.db.orm.em.fork().getConnection().execute('select count(*)::int as n from alerts'))[0].n);

  describe('401 unauthorized, identical whatever was wrong', () => {
    it.each([
      ['a wrong secret', () => alert({ secret: 'whsec_wrong' })],
      ['a missing secret', () => ({ ...alert(), secret: undefined })],
      ['a secret of the wrong type', () => alert({ secret: 12345 })],
      ['an empty secret', () => alert({ secret: '' })],
    ])('should answer %s with the same 401 and store nothing', async (_label, make) => {
      const before = await alertCount();
      const reply = await postAlert(api.url, make());
      expect(reply).toEqual({ status: 401, body: { error: 'unauthorized' } });
      expect(await alertCount()).toBe(before);
    });

    it('should stop accepting the old secret once the strategy is deployed again', async () => {
      const own = await createAndDeploy(api.url, trader.accessToken, {});
      const again = await gql(
        api.url,
        'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
        { id: own.id },
        trader.accessToken,
      );
      expect((await postAlert(api.url, { ...alert(), secret: own.secret })).status).toBe(401);
      expect((await postAlert(api.url, { ...alert(), secret: again.data!.deployStrategy.webhookSecret })).status).toBe(
        202,
      );
    });
  });

  describe('400 invalid_payload, nothing stored', () => {
    it.each([
      ['a body that is not JSON', 'buy 10 RELIANCE now', 'text/plain', ''],
      ['a JSON array', '[1,2]', 'application/json', ''],
    ])('should refuse %s', async (_label, body, type, path) => {
      const reply = await postAlert(api.url, body, type);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_payload', details: [{ path, message: expect.any(String) }] });
    });

    it.each([
      ['an unknown side', { side: 'HOLD' }, 'side'],
      ['a quantity that is not a number', { qty: 'ten' }, 'qty'],
      ['a zero quantity', { qty: 0 }, 'qty'],
      ['a negative price', { price: -5 }, 'price'],
      ['a LIMIT order without price', { order_type: 'LIMIT', price: null }, 'price'],
      ['an SL-M order without trigger', { order_type: 'SL-M' }, 'trigger_price'],
      ['a missing idempotency key', { idempotency_key: undefined }, 'idempotency_key'],
      ['an idempotency key over 200 characters', { idempotency_key: 'k'.repeat(201) }, 'idempotency_key'],
      ['an unreplaced placeholder', { price: '{{close}}' }, 'price'],
      ['an unreplaced strategy placeholder', { side: '{{strategy.order.action}}' }, 'side'],
      ['half a share of an equity', { qty: '0.5' }, 'qty'],
      ['a time that is not ISO 8601', { time: 'yesterday' }, 'time'],
      // Text PostgreSQL cannot store: refused up front, never a 500 after the body was taken
      ['a NUL character in the idempotency key', { idempotency_key: 'tv-1\u0000' }, 'idempotency_key'],
      ['a NUL character in an extra field', { extras: { note: 'x\u0000y' } }, 'extras.note'],
      ['an unpaired surrogate in the idempotency key', { idempotency_key: 'tv-1\ud800' }, 'idempotency_key'],
      ['an unpaired surrogate in an extra field', { extras: { note: '\udc00x' } }, 'extras.note'],
    ])('should refuse %s, naming the field', async (_label, extra, path) => {
      const before = await alertCount();
      const reply = await postAlert(api.url, alert(extra));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_payload');
      expect(reply.body.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await alertCount()).toBe(before);
    });

    it('should accept an emoji in the key and in an extra field, escaped as a surrogate pair or not', async () => {
      // A strategy of its own: these fills must not move the shared strategy's position
      const own = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS' });
      const body = { ...alert(), secret: own.secret, symbol: 'TCS', extras: { note: 'moon \u{1F680}' } };
      const escaped = JSON.stringify({ ...body, idempotency_key: `${uniqueKey()}-\u{1F680}` }).replace(
        /\u{1F680}/gu,
        '\\ud83d\\ude80',
      );
      expect(escaped).toContain('\\ud83d\\ude80');
      expect((await postAlert(api.url, escaped)).status).toBe(202);
      expect((await postAlert(api.url, { ...body, idempotency_key: `${uniqueKey()}-\u{1F680}` })).status).toBe(202);
    });

    it('should accept TradingView spellings: lower-case side, quantity and price as text, exchange prefix', async () => {
      const reply = await postAlert(
        api.url,
        alert({
          side: 'sell',
          qty: '2',
          price: '2501.5',
          symbol: 'NSE:RELIANCE',
          time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        }),
      );
      expect(reply.status).toBe(202);
      const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      expect(execution).toMatchObject({ symbol: 'RELIANCE', side: 'SELL', qty: '2', price: '2501.5' });
    });
  });

  it('should answer 413 to a body over 64 KiB and store nothing', async () => {
    const before = await alertCount();
    const reply = await postAlert(api.url, alert({ extras: { note: 'x'.repeat(65 * 1024) } }));
    expect(reply).toEqual({ status: 413, body: { error: 'payload_too_large' } });
    expect(await alertCount()).toBe(before);
  });

  it('should answer 429 once a strategy exceeds its alerts per minute', async () => {
    const limited = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await postAlert(api.url, { ...alert(), secret: limited.secret })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect((await postAlert(api.url, { ...alert(), secret: limited.secret })).body).toEqual({ error: 'rate_limited' });
  });

  describe('422 rejected, alert recorded', () => {
    const expectRejected = async (secret: string, reason: string, extra: Record<string, unknown> = {}) => {
      const reply = await postAlert(api.url, { ...alert(extra), secret });
      expect(reply.status).toBe(422);
      expect(reply.body).toMatchObject({ status: 'rejected', reason, alert_id: expect.any(String) });
      const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['REJECTED']);
      expect(execution.rejectReason).toBe(reason);
      return reply;
    };

    it('should reject a disabled strategy as strategy_disabled, and a resend as a duplicate', async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, {});
      await gql(
        api.url,
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { enabled } }',
        { id: s.id },
        trader.accessToken,
      );
      const key = uniqueKey();
      const first = await expectRejected(s.secret, 'strategy_disabled', { idempotency_key: key });
      expect(await postAlert(api.url, { ...alert({ idempotency_key: key }), secret: s.secret })).toEqual({
        status: 200,
        body: { status: 'duplicate', alert_id: first.body.alert_id },
      });
    });

    it('should reject entries outside the IST trading window as outside_trading_window', async () => {
      const nowIst = new Date(Date.now() + 330 * 60_000);
      const hh = (nowIst.getUTCHours() + 2) % 24;
      const window = {
        tradingWindowStart: `${String(hh).padStart(2, '0')}:00`,
        tradingWindowEnd: `${String(hh).padStart(2, '0')}:30`,
      };
      const s = await createAndDeploy(api.url, trader.accessToken, window);
      await expectRejected(s.secret, 'outside_trading_window');
    });

    it('should reject a quantity above the per-order maximum as risk_limit', async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, { maxQtyPerOrder: 5 });
      await expectRejected(s.secret, 'risk_limit', { qty: 6 });
      expect((await postAlert(api.url, { ...alert({ qty: 5 }), secret: s.secret })).status).toBe(202);
    });

    it('should reject a short entry on a long-only strategy as side_not_allowed', async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, { allowedSides: 'LONG_ONLY' });
      await expectRejected(s.secret, 'side_not_allowed', { side: 'SELL' });
    });

    it('should reject a LIVE strategy without a connected broker as broker_not_connected', async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, { mode: 'LIVE' });
      await expectRejected(s.secret, 'broker_not_connected');
    });

    it('should reject a derivative symbol that no instrument master knows as unknown_symbol', async () => {
      const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'NOSUCHFUT', exchangeSegment: 'NSE_FNO' });
      await expectRejected(s.secret, 'unknown_symbol', { symbol: 'NOSUCHFUT1!' });
    });

    it('should reject every alert while the kill switch is on, and only admins may flip it', async () => {
      const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
      const denied = await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, trader.accessToken);
      expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(
        (await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin.accessToken)).data!
          .setKillSwitch,
      ).toBe(true);
      try {
        await expectRejected(strategy.secret, 'kill_switch');
      } finally {
        await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin.accessToken);
      }
      expect((await postAlert(api.url, alert())).status).toBe(202);
    });
  });
});
