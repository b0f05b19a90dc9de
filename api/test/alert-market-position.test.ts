import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';
import { futureDatedMaster } from './harness/instrument-master';

// TradingView's strategy alerts say where the strategy's position stands after the order ({{strategy.market_position}}
// and {{strategy.position_size}}); the order brings OUR position there, whatever the opposite-signal policy says.
describe('an alert carrying TradingView market_position', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({
      BROKER_PAPER_SLIPPAGE_BPS: '0',
      BROKER_PAPER_MARKET_HOURS: 'ignore',
      BROKER_DHAN_INSTRUMENTS_SOURCE: futureDatedMaster(),
    });
    await api.services.instrumentMaster.refresh();
    trader = await register(api.url, 'market-position@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const send = async (s: Deployed, fields: Record<string, unknown>) => {
    const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), price: 100, ...fields });
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED']);
  };
  const position = async (strategyId: string) => {
    const res = await gql(api.url, '{ positions { strategyId qty } }', undefined, trader.accessToken);
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategyId)?.qty ?? '0';
  };
  const planOf = async (executionId: string) =>
    (await gql(api.url, 'query($id: ID!) { execution(id: $id) { plan } }', { id: executionId }, trader.accessToken))
      .data!.execution.plan;

  it('should close a long when TradingView exits to flat, not reverse it (REVERSE policy), and record why', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    await send(s, { side: 'buy', qty: '1', market_position: 'long', position_size: '1' });
    const exit = await send(s, { side: 'sell', qty: '1', market_position: 'flat', position_size: '0' });
    expect(exit).toMatchObject({ side: 'SELL', qty: '1', status: 'FILLED' });
    expect(await position(s.id)).toBe('0');
    expect(await planOf(exit.id)).toEqual({
      rule: 'market_position',
      marketPosition: 'flat',
      targetPosition: '0',
      positionBefore: '1',
      positionAfter: '0',
      side: 'SELL',
      qty: '1',
    });
  });

  it('should reverse to the size TradingView reports, signed ({{strategy.position_size}}) or absolute', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS' });
    await send(s, { side: 'buy', qty: '2', market_position: 'long', position_size: '2' });
    // TradingView's reversal order is 3 (close 2, open 1): the position it reports decides, not the policy's 2 + 3
    const flip = await send(s, { side: 'sell', qty: '3', market_position: 'short', position_size: '-1' });
    expect(flip).toMatchObject({ side: 'SELL', qty: '3', status: 'FILLED' });
    expect(await position(s.id)).toBe('-1');
    const back = await send(s, { side: 'buy', qty: '4', market_position: 'long', position_size: '3' });
    expect(back).toMatchObject({ side: 'BUY', qty: '4', status: 'FILLED' });
    expect(await position(s.id)).toBe('3');
  });

  it("should bring our position to TradingView's when the two differ, whatever the alert's own quantity", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN' });
    await send(s, { side: 'buy', qty: '5' }); // no market_position: a plain entry
    // TradingView reduced its long to 1 with a sell of 1; ours was 5, so 4 go
    const reduce = await send(s, { side: 'sell', qty: '1', market_position: 'long', position_size: '1' });
    expect(reduce).toMatchObject({ side: 'SELL', qty: '4', status: 'FILLED' });
    expect(await position(s.id)).toBe('1');
    // Already where TradingView is: nothing to send
    const same = await send(s, { side: 'buy', qty: '1', market_position: 'long', position_size: '1' });
    expect(same).toMatchObject({ status: 'REJECTED', rejectReason: 'at_target' });
  });

  it('should read market_position and position_size from extras, as alert messages generated before carried them', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'ITC' });
    await send(s, { side: 'buy', qty: '2', extras: { market_position: 'long', position_size: '2' } });
    const exit = await send(s, {
      side: 'sell',
      qty: '2',
      extras: { source: 'TradingView', market_position: 'flat', prev_market_position: 'long', position_size: '0' },
    });
    expect(exit).toMatchObject({ side: 'SELL', qty: '2', status: 'FILLED' });
    expect(await position(s.id)).toBe('0');
  });

  it('should net the alert into the position without position_size, never past flat against market_position, whatever the policy', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'WIPRO',
      oppositeSignalPolicy: 'REDUCE_ONLY',
    });
    await send(s, { side: 'buy', qty: '1', market_position: 'long' });
    // REDUCE_ONLY alone would only close: TradingView says it reversed, so we follow it
    const flip = await send(s, { side: 'sell', qty: '2', market_position: 'short' });
    expect(flip).toMatchObject({ side: 'SELL', qty: '2', status: 'FILLED' });
    expect(await position(s.id)).toBe('-1');
    // TradingView still long after a sell, ours short: close ours, never add to the short
    const against = await send(s, { side: 'sell', qty: '1', market_position: 'long' });
    // The execution keeps the alert's side; the order it sent, and why, are in its plan
    expect(against).toMatchObject({ side: 'SELL', qty: '1', status: 'FILLED' });
    expect(await planOf(against.id)).toEqual({
      rule: 'market_position',
      marketPosition: 'long',
      positionBefore: '-1',
      positionAfter: '0',
      side: 'BUY',
      qty: '1',
    });
    expect(await position(s.id)).toBe('0');
    const flat = await send(s, { side: 'sell', qty: '1', market_position: 'flat' });
    expect(flat).toMatchObject({ status: 'REJECTED', rejectReason: 'no_position' });
  });

  it('should still keep the allowed sides and the maximum open position', async () => {
    const longOnly = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'HCLTECH',
      allowedSides: 'LONG_ONLY',
    });
    await send(longOnly, { side: 'buy', qty: '2', market_position: 'long', position_size: '2' });
    // TradingView reverses to short 1: a long-only strategy closes its long and opens no short
    const flip = await send(longOnly, { side: 'sell', qty: '3', market_position: 'short', position_size: '1' });
    expect(flip).toMatchObject({ side: 'SELL', qty: '2', status: 'FILLED' });
    expect(await position(longOnly.id)).toBe('0');
    // Flat now: a short entry is refused at the door, as without market_position
    const again = await postAlert(api.url, {
      secret: longOnly.secret,
      idempotency_key: uniqueKey(),
      side: 'sell',
      qty: '1',
      price: 100,
      market_position: 'short',
      position_size: '1',
    });
    expect(again).toMatchObject({ status: 422, body: { reason: 'side_not_allowed' } });

    const capped = await createAndDeploy(api.url, trader.accessToken, { symbol: 'BPCL', maxOpenPosition: 2 });
    await send(capped, { side: 'buy', qty: '1', market_position: 'long', position_size: '1' });
    const over = await send(capped, { side: 'buy', qty: '2', market_position: 'long', position_size: '3' });
    expect(over).toMatchObject({ status: 'REJECTED', rejectReason: 'risk_limit' });
    expect(await position(capped.id)).toBe('1');
  });

  it('should read position_size in lots for a derivative strategy (NIFTY future, lot 75)', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'NIFTY',
      exchangeSegment: 'NSE_FNO',
      productType: 'MARGIN',
    });
    await send(s, {
      symbol: 'NIFTY1!',
      side: 'buy',
      qty: '2',
      market_position: 'long',
      position_size: '2',
      price: 23000,
    });
    expect(await position(s.id)).toBe('150');
    const flip = await send(s, {
      symbol: 'NSE:NIFTY1!',
      side: 'sell',
      qty: '3',
      market_position: 'short',
      position_size: '-1',
      price: 23010,
    });
    expect(flip).toMatchObject({ side: 'SELL', qty: '225', status: 'FILLED' });
    expect(await position(s.id)).toBe('-75');
  });

  it.each([
    ['an unknown market_position', { market_position: 'sideways' }, 'market_position'],
    ['a position_size that is not a number', { market_position: 'long', position_size: 'one' }, 'position_size'],
    ['a fractional position_size of shares', { market_position: 'long', position_size: '1.5' }, 'position_size'],
    [
      'a position_size on the other side of market_position',
      { market_position: 'long', position_size: '-2' },
      'position_size',
    ],
    ['a flat market_position with a position', { market_position: 'flat', position_size: '2' }, 'position_size'],
    [
      'an unreplaced market_position placeholder',
      { market_position: '{{strategy.market_position}}' },
      'market_position',
    ],
    [
      'an unreplaced placeholder in extras',
      { extras: { market_position: '{{strategy.market_position}}' } },
      'extras.market_position',
    ],
  ])('should refuse %s with 400 naming the field, storing nothing', async (_label, fields, path) => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'buy',
      qty: '1',
      price: 100,
      ...fields,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.details.map((d: { path: string }) => d.path)).toContain(path);
    const alerts = await api.db.sql.query<{ n: number }>(
      'select count(*)::int as n from alerts where strategy_id = ?',
      [s.id],
    );
    expect(alerts[0].n).toBe(0);
  });
});
