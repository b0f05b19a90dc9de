import { startDhanSimulator, DhanSimulator } from '@algodatta/broker-dhan';
import { register } from './harness/graphql-client';
import { startTestApi, TestApi } from './harness/test-api';
import {
  connectSim,
  liveStrategy,
  MASTER_CSV,
  sendAlert,
  SIM_CLIENT_ID,
  SIM_TOKEN,
  sql,
  waitFor,
} from './fixtures/dhan/dhan-kit';

// Issue 18: an emulated exit on a LIVE DhanHQ position, priced by the broker's own live market feed (the plugin
// declares has.marketData): the core subscribes the plan's instrument through the SDK, a tick through the stop sends
// one EXIT to the simulator, and the subscription is dropped once no plan needs it.
describe('exits priced by the DhanHQ market feed', () => {
  let sim: DhanSimulator;
  let api: TestApi;
  beforeAll(async () => {
    sim = await startDhanSimulator({
      clientId: SIM_CLIENT_ID,
      accessToken: SIM_TOKEN,
      prices: { 2885: '2500' },
      instruments: { 2885: { tradingSymbol: 'RELIANCE', lotSize: 1 } },
    });
    api = await startTestApi({
      BROKER_DHAN_BASE_URL: sim.url,
      BROKER_DHAN_AUTH_BASE_URL: sim.authUrl,
      BROKER_DHAN_INSTRUMENTS_SOURCE: MASTER_CSV,
      ORDER_POLL_SECONDS: '3600',
      RECOVERY_SWEEP_SECONDS: '3600',
      BROKER_PLUGIN_OPTIONS: JSON.stringify({
        dhan: {
          orderUpdatesUrl: 'ws://127.0.0.1:9/order-update',
          marketFeedUrl: sim.feedUrl,
          reconcileDelayMs: 20,
          orderUpdateBackoff: { initialMs: 60_000, maxMs: 60_000 },
        },
      }),
    });
    await api.services.instrumentMaster.refresh();
    sim.setPostbackUrl(`${api.url}/api/webhook/dhan/postback`);
  });
  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  it('buy 2 at 2500 with stop 10pts: a feed tick at 2489 sells 2 once at the simulator (-22 gross)', async () => {
    const trader = await register(api.url, 'feed-exits@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(api.url, strategy, { side: 'BUY', qty: 2, price: 2500, stop_loss: '10pts' });
    expect(reply).toMatchObject({ status: 202 });
    const plan = await waitFor(
      async () =>
        (
          await sql<{ id: string; stop_price: string; status: string }>(
            api,
            `select id, stop_price::text, status from exit_plans where strategy_id = $1`,
            [strategy.id],
          )
        ).find((p) => p.status === 'ACTIVE'),
      'an active plan',
    );
    expect(Number(plan.stop_price)).toBe(2490);
    // The core subscribed the instrument on the feed (no PRICE alert is sent in this test)
    await waitFor(async () => sim.marketFeed.connections > 0, 'a market feed connection');
    const sells = () =>
      sim.requests.filter(
        (r) => r.method === 'POST' && r.path === '/orders' && (r.body as any)?.transactionType === 'SELL',
      );
    sim.setPrice('2885', '2495');
    await new Promise((r) => setTimeout(r, 300));
    expect(sells()).toHaveLength(0);
    sim.setPrice('2885', '2489');
    sim.setPrice('2885', '2480');
    const exit = await waitFor(
      async () =>
        (
          await sql<{ status: string; avg_fill_price: string; qty: string }>(
            api,
            `select status, avg_fill_price::text, qty::text from executions where strategy_id = $1 and source = 'exit'`,
            [strategy.id],
          )
        ).find((e) => e.status === 'FILLED'),
      'the exit to fill',
    );
    expect(Number(exit.qty)).toBe(2);
    expect(sells()).toHaveLength(1);
    expect(sells()[0].body).toMatchObject({ transactionType: 'SELL', quantity: 2, securityId: '2885' });
    const [trip] = await sql<{ gross_pnl: string; entry_price: string; exit_price: string }>(
      api,
      `select gross_pnl::text, entry_price::text, exit_price::text from round_trips where strategy_id = $1`,
      [strategy.id],
    );
    // Sold at the simulator's price when the order arrived: 2489 or 2480 (both ticks went out before it)
    expect(Number(trip.entry_price)).toBe(2500);
    expect(Number(trip.gross_pnl)).toBe((Number(trip.exit_price) - 2500) * 2);
    await waitFor(
      async () =>
        (await sql<{ status: string }>(api, `select status from exit_plans where id = $1`, [plan.id]))[0].status ===
        'ENDED',
      'the plan to end',
    );
    // No plan needs the instrument any more: it was unsubscribed (a later tick sends nothing)
    await waitFor(
      async () =>
        sim.marketFeed.connections === 0 ||
        sim.marketFeed.requests.some((m: any) => [12, 16, 18, 22].includes(m.RequestCode)),
      'the instrument to be unsubscribed',
    );
    sim.setPrice('2885', '2400');
    await new Promise((r) => setTimeout(r, 300));
    expect(sells()).toHaveLength(1);
  });

  it('an exit the broker rejects arms the plan again; the next tick through the stop sells once', async () => {
    const trader = await register(api.url, 'feed-exits-rejected@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    sim.setPrice('2885', '2500');
    const reply = await sendAlert(api.url, strategy, { side: 'BUY', qty: 3, price: 2500, stop_loss: '10pts' });
    expect(reply).toMatchObject({ status: 202 });
    const planStatus = () =>
      sql<{ id: string; status: string; exit_attempts: number }>(
        api,
        `select id, status, exit_attempts from exit_plans where strategy_id = $1`,
        [strategy.id],
      );
    const plan = await waitFor(async () => (await planStatus()).find((p) => p.status === 'ACTIVE'), 'an active plan');
    await waitFor(async () => sim.marketFeed.connections > 0, 'a market feed connection');
    // The broker refuses the first exit (its own kill switch, DH-906): a definite rejection, not a retry
    sim.inject({
      kind: 'http_error',
      method: 'POST',
      path: '/orders',
      status: 400,
      body: { errorType: 'Order_Error', errorCode: 'DH-906', errorMessage: 'Kill Switch is activated for the day' },
    });
    sim.setPrice('2885', '2489');
    await waitFor(
      async () => (await planStatus()).find((p) => p.id === plan.id && p.status === 'ACTIVE' && p.exit_attempts === 1),
      'the plan armed again after the rejection',
    );
    const exits = () =>
      sql<{ status: string; qty: string }>(
        api,
        `select status, qty::text from executions where strategy_id = $1 and source = 'exit' order by created_at`,
        [strategy.id],
      );
    expect((await exits()).map((e) => e.status)).toEqual(['REJECTED']);
    // Ticks before the backoff (15 s) send nothing: a refusing broker is not hammered on every tick
    sim.setPrice('2885', '2488');
    await new Promise((r) => setTimeout(r, 300));
    expect((await exits()).map((e) => e.status)).toEqual(['REJECTED']);
    // Once it has passed, the next tick through the stop retries: one more exit, filled
    await sql(api, `update exit_plans set retry_after = now() - interval '1 second' where id = $1`, [plan.id]);
    sim.setPrice('2885', '2487');
    await waitFor(
      async () => ((await exits()).map((e) => e.status).join() === 'REJECTED,FILLED' ? true : undefined),
      'the retried exit to fill',
    );
    sim.setPrice('2885', '2480');
    await waitFor(
      async () => (await planStatus()).find((p) => p.id === plan.id && p.status === 'ENDED'),
      'the plan to end',
    );
    expect(await exits()).toHaveLength(2);
    const [trip] = await sql<{ gross_pnl: string; exit_price: string }>(
      api,
      `select gross_pnl::text, exit_price::text from round_trips where strategy_id = $1`,
      [strategy.id],
    );
    expect(Number(trip.gross_pnl)).toBe((Number(trip.exit_price) - 2500) * 3);
  });
});
