import { FakeTelegram } from './harness/fake-telegram';
import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { linkTelegram, notificationEnv } from './harness/notifications-kit';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

jest.setTimeout(30_000);

// Issue 18: a missed or out-of-order TradingView alert shows as its prev_market_position (before the order) not
// being our position. Flagged on the execution (positionCheck), sent as an ERROR event position_mismatch and so
// notified; syncToTradingView trades to TradingView's position instead of netting the alert into ours.
describe("the position check against TradingView's prev_market_position", () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let trader: Session;
  let chatId: string;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    api = await startTestApi(
      notificationEnv(telegram, undefined, { BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' }),
    );
    trader = await register(api.url, 'position-check@example.com');
    chatId = '9100';
    await linkTelegram(api.url, trader.accessToken, telegram, chatId);
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  // As the generated alert message sends it: prev_market_position inside extras
  const send = async (s: Deployed, fields: Record<string, unknown>, prev: Record<string, unknown>) => {
    const body = {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      order_type: 'MARKET',
      price: '100',
      ...fields,
      extras: { source: 'TradingView', ...prev },
    };
    const reply = await postAlert(api.url, JSON.stringify(body), 'text/plain; charset=utf-8');
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED']);
  };
  const details = async (id: string) =>
    (
      await gql(
        api.url,
        'query($id: ID!) { execution(id: $id) { positionCheck events { type payload } } }',
        { id },
        trader.accessToken,
      )
    ).data!.execution;
  const position = async (strategyId: string) => {
    const res = await gql(api.url, '{ positions { strategyId qty } }', undefined, trader.accessToken);
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategyId)?.qty ?? '0';
  };

  it("should write nothing when TradingView's position before the alert is ours", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    const entry = await send(
      s,
      { side: 'buy', qty: '1', market_position: 'long', position_size: '1' },
      { prev_market_position: 'flat' },
    );
    const exit = await send(
      s,
      { side: 'sell', qty: '1', market_position: 'flat', position_size: '0' },
      { prev_market_position: 'long', prev_market_position_size: '1' },
    );
    for (const e of [entry, exit]) {
      const d = await details(e.id);
      expect(d.positionCheck.mismatch).toBeUndefined();
      expect(d.events.map((ev: { type: string }) => ev.type)).not.toContain('ERROR');
    }
  });

  it('should flag a missed entry on the execution, as an event, and on Telegram, trading as planned', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { name: 'Missed', symbol: 'TCS' });
    // TradingView went long 1 (that alert never reached us) and now adds 1: long 2; we hold nothing
    const add = await send(
      s,
      { side: 'buy', qty: '1', market_position: 'long', position_size: '2' },
      { prev_market_position: 'long', prev_market_position_size: '1' },
    );
    expect(add).toMatchObject({ status: 'FILLED', side: 'BUY', qty: '2' });
    const d = await details(add.id);
    expect(d.positionCheck).toEqual({
      prevMarketPosition: 'long',
      prevPositionQty: '1',
      ourPosition: '0',
      mismatch: true,
      action: 'flagged',
    });
    const event = d.events.find((ev: { type: string }) => ev.type === 'ERROR');
    expect(event.payload).toMatchObject({
      code: 'position_mismatch',
      message:
        'TradingView was long 1 before this alert but the strategy was flat: an alert was missed or arrived out of order',
    });
    const text = await telegram.waitForSent(chatId, (m) => m.startsWith('Position mismatch'));
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Position mismatch: TCS',
      'Strategy: Missed (PAPER)',
      'TradingView was long 1 before this alert but the strategy was flat: an alert was missed or arrived out of order',
    ]);
  });

  it("should net the alert into our position by default, and trade to TradingView's position with syncToTradingView", async () => {
    // Without position_size, TradingView's position after the alert is prev 1 + the buy of 1 = long 2
    const alert = { side: 'buy', qty: '1', market_position: 'long' };
    const prev = { prev_market_position: 'long', prev_market_position_size: '1' };
    const plain = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN' });
    expect(await send(plain, alert, prev)).toMatchObject({ status: 'FILLED', qty: '1' });
    expect(await position(plain.id)).toBe('1');
    const synced = await createAndDeploy(api.url, trader.accessToken, { symbol: 'ITC', syncToTradingView: true });
    const e = await send(synced, alert, prev);
    expect(e).toMatchObject({ status: 'FILLED', qty: '2' });
    expect(await position(synced.id)).toBe('2');
    expect((await details(e.id)).positionCheck).toMatchObject({
      mismatch: true,
      action: 'synced',
      targetPosition: '2',
    });
  });

  it('should compare only the side when the strategy sizes its own quantity', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'WIPRO', qty: 5, sizingMode: 'FIXED' });
    const entry = await send(
      s,
      { side: 'buy', qty: '1', market_position: 'long', position_size: '1' },
      { prev_market_position: 'flat' },
    );
    expect(entry).toMatchObject({ qty: '5' });
    // TradingView long 1, we long 5: the same side, so no mismatch
    const exit = await send(
      s,
      { side: 'sell', qty: '1', market_position: 'flat', position_size: '0' },
      { prev_market_position: 'long', prev_market_position_size: '1' },
    );
    expect(exit).toMatchObject({ status: 'FILLED', qty: '5' });
    expect((await details(exit.id)).positionCheck).toEqual({ prevMarketPosition: 'long' });
  });
});
