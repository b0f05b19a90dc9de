import { register, Session } from './harness/graphql-client';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  executionOf,
  sql,
  startDhanWorld,
  waitFor,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

// Issue 18: SL-M is refused under market price protection (DhanHQ: outside NSE/BSE equity, its manifest's
// stopMarketSegments). The order goes as SL with its limit STOP_LIMIT_BAND_PERCENT beyond the trigger.
describe('SL-M where the broker refuses it', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      { STOP_LIMIT_BAND_PERCENT: '1.5' },
      {
        prices: { 2885: '2500', 62329: '23000.5' },
        instruments: {
          62329: { tradingSymbol: 'NIFTY-Jun2026-FUT', lotSize: 75 },
          2885: { tradingSymbol: 'RELIANCE', lotSize: 1 },
        },
      },
    );
    trader = await register(world.api.url, 'stop-limit-trader@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  const placements = (from: number) =>
    world.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/orders');
  // The order's request and plan are written when its attempt ends, which can come after the simulator's order
  // update already made it PLACED
  const attemptEnded = (alertId: string) =>
    waitFor(
      async () => {
        const e = await executionOf(world.api, alertId);
        return e && ['PLACED', 'FILLED'].includes(e.status) && e.broker_request ? e : undefined;
      },
      `the attempt of ${alertId} to end`,
      8000,
    );
  const planOf = async (id: string) =>
    (await sql<{ plan: Record<string, unknown> }>(world.api, 'select plan from executions where id = $1', [id]))[0]
      .plan;

  it('should send an SL-M on NSE_FNO as SL with the limit 1.5% beyond the trigger, rounded to the tick', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, {
      symbol: 'NIFTY',
      exchangeSegment: 'NSE_FNO',
      productType: 'MARGIN',
      instrumentOverride: '62329',
    });
    const from = world.sim.requests.length;
    const buy = await sendAlert(world.api.url, strategy, {
      side: 'BUY',
      qty: 1,
      order_type: 'SL-M',
      trigger_price: 23101,
    });
    expect(buy.status).toBe(202);
    const placed = await attemptEnded(buy.body.alert_id);
    const [order] = placements(from);
    // 23101 x 1.015 = 23447.515, up to the contract's 0.10 tick (the master's 10 paise) (the buyer pays at most this)
    expect(order.body).toMatchObject({ orderType: 'STOP_LOSS', triggerPrice: 23101, price: 23447.6, quantity: 75 });
    expect(placed.broker_request).toMatchObject({ type: 'SL', price: '23447.6', triggerPrice: '23101' });
    expect(await planOf(placed.id)).toMatchObject({
      stopLimit: {
        triggerPrice: '23101',
        limitPrice: '23447.6',
        bandPercent: '1.5',
        tickSize: '0.1',
        reason: expect.stringContaining('does not accept SL-M on NSE_FNO'),
      },
    });

    // A sell stop: the limit goes below the trigger, rounded down (22900 x 0.985 = 22556.5)
    const fromSell = world.sim.requests.length;
    const sell = await sendAlert(world.api.url, strategy, {
      side: 'SELL',
      qty: 1,
      order_type: 'SL-M',
      trigger_price: 22900,
    });
    await waitForExecution(world.api, sell.body.alert_id, ['PLACED', 'FILLED', 'REJECTED']);
    const [sellOrder] = placements(fromSell);
    expect(sellOrder.body).toMatchObject({ orderType: 'STOP_LOSS', triggerPrice: 22900, price: 22556.5 });
  });

  it('should send an SL-M on NSE_EQ unchanged', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const from = world.sim.requests.length;
    const reply = await sendAlert(world.api.url, strategy, {
      side: 'BUY',
      qty: 2,
      order_type: 'SL-M',
      trigger_price: 2600,
    });
    const placed = await attemptEnded(reply.body.alert_id);
    const [order] = placements(from);
    expect(order.body).toMatchObject({ orderType: 'STOP_LOSS_MARKET', triggerPrice: 2600, price: 0 });
    expect(await planOf(placed.id)).not.toHaveProperty('stopLimit');
  });
});
