import { gql, register, Session } from './harness/graphql-client';
import {
  captureLogs,
  connectBroker,
  connectSim,
  DhanWorld,
  executionOf,
  liveStrategy,
  postback,
  sendAlert,
  SIM_CLIENT_ID,
  sql,
  startDhanWorld,
  SIM_TOKEN,
  waitFor,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

// Alert -> LIVE order at the Dhan simulator -> postback -> read back from Dhan -> execution, fill and position.
describe('LIVE orders through DhanHQ', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      {},
      {
        prices: { 2885: '2500', 62329: '23000.5', 11536: '4000' },
        instruments: {
          62329: { tradingSymbol: 'NIFTY-Jun2026-FUT', lotSize: 75 },
          2885: { tradingSymbol: 'RELIANCE', lotSize: 1 },
          11536: { tradingSymbol: 'TCS', lotSize: 1 },
        },
      },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'live-trader@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  const placements = (from = 0) =>
    world.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/orders');

  it('should place the order with our clientOrderId as correlationId and fill it from the postback', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const from = world.sim.requests.length;
    const logs = captureLogs();
    let execution;
    let reply;
    try {
      reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 5, price: 2499 });
      expect(reply).toMatchObject({ status: 202, body: { status: 'accepted' } });
      execution = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    } finally {
      logs.stop();
    }
    // Placement, postback and read-back were logged, the token never
    expect(logs.text()).toContain('broker postback');
    expect(logs.text()).not.toContain(SIM_TOKEN);
    const orders = placements(from);
    expect(orders).toHaveLength(1);
    expect(orders[0].body).toMatchObject({
      correlationId: execution.client_order_id,
      dhanClientId: SIM_CLIENT_ID,
      transactionType: 'BUY',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      orderType: 'MARKET',
      securityId: '2885',
      quantity: 5,
    });
    const atDhan = [...world.sim.state.orders.values()].find((o) => o.correlationId === execution.client_order_id)!;
    expect(execution).toMatchObject({
      broker_order_id: atDhan.orderId,
      qty: '5.0000',
      filled_qty: '5.0000',
      avg_fill_price: '2500.0000',
      security_id: '2885',
    });

    // The fill came from a postback (the order stream is off and the poll runs hourly here), read back from Dhan
    expect(
      world.sim.postbacks.some(
        (p) =>
          p.body.correlationId === execution.client_order_id && p.body.orderStatus === 'TRADED' && p.status === 200,
      ),
    ).toBe(true);
    expect(world.sim.requests.slice(from).some((r) => r.method === 'GET' && r.path === '/trades')).toBe(true);
    const fills = await sql<{ qty: string; price: string; trade_id: string }>(
      world.api,
      'select * from fills where execution_id = $1',
      [execution.id],
    );
    expect(fills).toEqual([expect.objectContaining({ qty: '5.0000', price: '2500.0000' })]);

    const positions = await gql(
      world.api.url,
      '{ positions(mode: LIVE) { strategyId symbol qty avgPrice } }',
      undefined,
      trader.accessToken,
    );
    expect(positions.data!.positions).toEqual([
      { strategyId: strategy.id, symbol: 'RELIANCE', qty: '5', avgPrice: '2500' },
    ]);

    // Dhan re-sends postbacks: the same order again changes nothing
    const again = await postback(
      world.postbackUrl,
      JSON.stringify(
        world.sim.postbacks.find(
          (p) => p.body.orderStatus === 'TRADED' && p.body.correlationId === execution.client_order_id,
        )!.body,
      ),
    );
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sql(world.api, 'select id from fills where execution_id = $1', [execution.id])).toHaveLength(1);
  });

  it('should send units = lots x lot size for a derivative (NIFTY future by instrumentOverride)', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, {
      symbol: 'NIFTY',
      exchangeSegment: 'NSE_FNO',
      productType: 'MARGIN',
      instrumentOverride: '62329',
    });
    const from = world.sim.requests.length;
    const reply = await sendAlert(world.api.url, strategy, { side: 'SELL', qty: 2, price: 23000 });
    expect(reply.status).toBe(202);
    const execution = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    const orders = placements(from);
    expect(orders).toHaveLength(1);
    expect(orders[0].body).toMatchObject({
      correlationId: execution.client_order_id,
      exchangeSegment: 'NSE_FNO',
      securityId: '62329',
      quantity: 150,
      transactionType: 'SELL',
      productType: 'MARGIN',
    });
    expect(execution).toMatchObject({
      qty: '150.0000',
      filled_qty: '150.0000',
      lot_size: '75.0000',
      avg_fill_price: '23000.5000',
    });
  });

  it('should place exactly one order when Dhan takes it but the answer is lost, and still fill it', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'TCS' });
    const from = world.sim.requests.length;
    world.sim.inject({ kind: 'drop_response', method: 'POST', path: '/orders', times: 1 });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 3 });
    expect(reply.status).toBe(202);
    const execution = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    expect(placements(from)).toHaveLength(1);
    expect(
      [...world.sim.state.orders.values()].filter((o) => o.correlationId === execution.client_order_id),
    ).toHaveLength(1);
    // Found through the correlation id look-up after the lost answer
    const lookups = world.sim.requests
      .slice(from)
      .filter((r) => r.path === `/orders/external/${execution.client_order_id}`);
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(execution).toMatchObject({ filled_qty: '3.0000', avg_fill_price: '4000.0000' });
  });

  it('should never trust a postback body: a forged TRADED for a resting order fills nothing', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 2, order_type: 'LIMIT', price: 2400 });
    expect(reply.status).toBe(202);
    const placed = await waitForExecution(world.api, reply.body.alert_id, ['PLACED']);
    const forged = {
      dhanClientId: SIM_CLIENT_ID,
      orderId: placed.broker_order_id,
      correlationId: placed.client_order_id,
      orderStatus: 'TRADED',
      quantity: 2,
      filledQty: 2,
      averageTradedPrice: 1,
      price: 1,
    };
    const answer = await postback(world.postbackUrl, JSON.stringify(forged));
    expect(answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const reads = world.sim.requests.length;
    await waitFor(async () => world.sim.requests.length > reads, 'the read-back');
    await new Promise((r) => setTimeout(r, 300));
    expect(await executionOf(world.api, reply.body.alert_id)).toMatchObject({ status: 'PLACED', filled_qty: '0.0000' });

    // The market reaches the limit: Dhan's own postback, read back, gives the fill at Dhan's price
    world.sim.setPrice('2885', '2390');
    const filled = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    expect(filled).toMatchObject({ filled_qty: '2.0000', avg_fill_price: '2390.0000' });
  });

  // A live fill arrives after placeOrder returns: the next alert of the position must count the order still working
  it('should plan the next alert against a LIVE MARKET order that is still working at Dhan', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, {
      symbol: 'TCS',
      maxOpenPosition: 10,
      alertsPerMinute: 1000,
    });
    world.sim.state.liquidity.set('11536', 0); // nothing trades in TCS: MARKET orders stay open at Dhan
    try {
      const entry = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 10, price: 4000 });
      await waitForExecution(world.api, entry.body.alert_id, ['PLACED']);
      const more = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 5, price: 4000 });
      expect(await waitForExecution(world.api, more.body.alert_id, ['REJECTED'])).toMatchObject({
        reject_reason: 'risk_limit',
      });
      const exit = await sendAlert(world.api.url, strategy, { side: 'EXIT', qty: undefined, price: 4000 });
      const closing = await waitForExecution(world.api, exit.body.alert_id, ['PLACED']);
      expect(closing).toMatchObject({ side: 'EXIT', qty: '10.0000' });
      expect(closing.broker_request).toMatchObject({ side: 'SELL', quantity: '10' });

      // Both trade once TCS trades again, and the position ends flat
      world.sim.state.liquidity.delete('11536');
      world.sim.state.setPrice('11536', '4000');
      await waitForExecution(world.api, entry.body.alert_id, ['FILLED']);
      await waitForExecution(world.api, exit.body.alert_id, ['FILLED']);
      const positions = await gql(
        world.api.url,
        '{ positions(mode: LIVE) { strategyId qty } }',
        undefined,
        trader.accessToken,
      );
      expect(positions.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategy.id).qty).toBe('0');
    } finally {
      world.sim.state.liquidity.delete('11536');
    }
  });

  it('should answer postbacks fast: unknown orders ignored, malformed ones 400', async () => {
    const unknown = await postback(
      world.postbackUrl,
      JSON.stringify({
        dhanClientId: SIM_CLIENT_ID,
        orderId: '999999',
        correlationId: 'not-ours-123',
        orderStatus: 'TRADED',
      }),
    );
    expect(unknown).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(unknown.ms).toBeLessThan(1000);
    const malformed = await postback(world.postbackUrl, '{"orderId": ');
    expect(malformed).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
    const noOrder = await postback(world.postbackUrl, JSON.stringify({ orderStatus: 'TRADED' }));
    expect(noOrder).toMatchObject({ status: 400, body: { error: 'invalid_payload', details: [{ path: 'orderId' }] } });
    const list = await postback(world.postbackUrl, '[1,2]');
    expect(list.status).toBe(400);

    // A known correlation id under another Dhan client id is not ours
    const [ours] = await sql<{ client_order_id: string; broker_order_id: string }>(
      world.api,
      `select * from executions where status = 'FILLED' limit 1`,
    );
    const foreign = await postback(
      world.postbackUrl,
      JSON.stringify({
        dhanClientId: '2000000002',
        orderId: ours.broker_order_id,
        correlationId: ours.client_order_id,
        orderStatus: 'TRADED',
      }),
    );
    expect(foreign).toMatchObject({ status: 200, body: { status: 'ignored' } });
  });

  it('should reject on an expired token without a retry, mark the account EXPIRED and notify the user', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    world.sim.expireToken();
    const from = world.sim.requests.length;
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1 });
    expect(reply.status).toBe(202);
    const execution = await waitForExecution(world.api, reply.body.alert_id, ['REJECTED', 'FAILED']);
    expect(execution).toMatchObject({ status: 'REJECTED', reject_reason: 'token_expired' });
    // Give a retry the chance to happen if it were (wrongly) scheduled
    await new Promise((r) => setTimeout(r, 500));
    const sent = world.sim.requests.slice(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', path: `/orders/external/${execution.client_order_id}` });
    expect(placements(from)).toHaveLength(0);

    const accounts = await gql(world.api.url, '{ brokerAccounts { status lastError } }', undefined, trader.accessToken);
    expect(accounts.data!.brokerAccounts).toEqual([
      { status: 'EXPIRED', lastError: expect.stringContaining('DH-901') },
    ]);
    // Recorded for the notification dispatcher (the user has no channel, so nothing is sent)
    const notes = await sql<{ event: string; data: Record<string, unknown> }>(
      world.api,
      'select * from notification_outbox where user_id = $1',
      [trader.user.id],
    );
    expect(notes).toEqual([
      expect.objectContaining({
        event: 'BROKER_TOKEN_EXPIRED',
        data: { broker: 'dhan', reason: expect.stringContaining('DH-901') },
      }),
    ]);

    const next = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1 });
    expect(next).toMatchObject({ status: 422, body: { status: 'rejected', reason: 'broker_not_connected' } });
    expect(world.sim.requests.length).toBe(from + 1);

    // A new token brings the account back: orders go out with it
    world.sim.setAccessToken('fresh-token-after-expiry');
    const reconnected = await connectBroker(world.api.url, trader.accessToken, {
      broker: 'dhan',
      clientId: SIM_CLIENT_ID,
      accessToken: 'fresh-token-after-expiry',
    });
    expect(reconnected.data!.connectBroker).toMatchObject({ status: 'CONNECTED', lastError: null });
    const resumed = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1 });
    expect(resumed.status).toBe(202);
    await waitForExecution(world.api, resumed.body.alert_id, ['FILLED']);
    expect(placements(from).map((r) => r.headers['access-token'])).toEqual(['fresh-token-after-expiry']);
  });
});

describe('a postback after the token expired', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld({}, { prices: { 2885: '2500' } });
    trader = await register(world.api.url, 'late-expiry@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should mark the account EXPIRED when the read-back is refused, and leave the execution as it was', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1, order_type: 'LIMIT', price: 2400 });
    const placed = await waitForExecution(world.api, reply.body.alert_id, ['PLACED']);
    world.sim.expireToken();
    const answer = await postback(
      world.postbackUrl,
      JSON.stringify({
        dhanClientId: SIM_CLIENT_ID,
        orderId: placed.broker_order_id,
        correlationId: placed.client_order_id,
        orderStatus: 'TRADED',
      }),
    );
    expect(answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
    await waitFor(
      async () =>
        (await sql<{ status: string }>(world.api, 'select status from broker_accounts'))[0].status === 'EXPIRED',
      'the account to expire',
    );
    expect(
      await sql(world.api, `select id from notification_outbox where event = 'BROKER_TOKEN_EXPIRED'`),
    ).toHaveLength(1);
    expect(await executionOf(world.api, reply.body.alert_id)).toMatchObject({ status: 'PLACED', filled_qty: '0.0000' });
  });
});
