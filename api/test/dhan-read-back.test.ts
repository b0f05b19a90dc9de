import { register, Session } from './harness/graphql-client';
import { uniqueKey } from './harness/pipeline';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  sql,
  startDhanWorld,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

// Issue 11, item 9: live fills show up soon without the order-update socket or a postback (both off here).
describe('a LIVE order with the order-update socket down and no postbacks', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    // Reads are not the limit under test here (120 orders are polled in one run below)
    // Paper sessions enforced, on a Saturday: a LIVE order is still sent (the broker's answer decides it)
    world = await startDhanWorld(
      {
        BROKER_PAPER_MARKET_HOURS: 'enforce',
        // The 120 orders below are accepted without being started; on a loaded machine the overflow poll (every 2 s)
        // found the first of them waiting and the executor placed one, whose end then moved it out of the poll
        // (119 of 120). No other process shares this database: the poll only has that to find.
        OVERFLOW_POLL_SECONDS: '3600',
        BROKER_PLUGIN_OPTIONS: JSON.stringify({
          dhan: {
            orderUpdatesUrl: 'ws://127.0.0.1:9/order-update',
            reconcileDelayMs: 20,
            orderUpdateBackoff: { initialMs: 60_000, maxMs: 60_000 },
            readsPerSecond: 1000,
          },
        }),
      },
      { prices: { 2885: '2500', 11536: '4000' } },
    );
    world.api.services.marketHours.now = () => Date.parse('2026-11-28T11:00:00+05:30');
    trader = await register(world.api.url, 'read-back@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should show a MARKET order the broker filled at once as FILLED within 3 s, read back after placing it', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const sent = Date.now();
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 2 });
    expect(reply.status).toBe(202);
    const filled = await waitForExecution(world.api, reply.body.alert_id, ['FILLED'], 3000);
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(filled).toMatchObject({ filled_qty: '2.0000', avg_fill_price: '2500.0000' });
    // Read back by our client order id; the trade book gave the fill
    expect(world.sim.requests.some((r) => r.path === `/orders/external/${filled.client_order_id}`)).toBe(true);
  });

  it('should read every open order in one poll run, not the first hundred', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'TCS', alertsPerMinute: 1000 });
    const snapshot = (await world.api.services.strategyCache.byId(strategy.id))!;
    // 120 orders the api believes are resting at Dhan (Dhan has never seen them: each lookup is answered "not found")
    const accepted = await Promise.all(
      Array.from({ length: 120 }, () =>
        world.api.services.intake.accept(
          snapshot,
          {
            secret: strategy.secret,
            idempotencyKey: uniqueKey(),
            side: 'BUY',
            qty: '1',
            orderType: 'LIMIT',
            price: '3000',
          },
          '{}',
          '127.0.0.1',
        ),
      ),
    );
    expect(accepted.every((a) => a.kind === 'accepted')).toBe(true);
    const [account] = await sql<{ id: string }>(world.api, 'select id from broker_accounts where broker = $1', [
      'dhan',
    ]);
    await sql(
      world.api,
      `update executions set status = 'PLACED', broker_account_id = $2, updated_at = now() - interval '1 minute' where strategy_id = $1`,
      [strategy.id, account.id],
    );
    const from = world.sim.requests.length;
    expect(await world.api.services.recovery.pollOpenOrders()).toBe(120);
    const lookups = world.sim.requests
      .slice(from)
      .filter((r) => r.method === 'GET' && r.path.startsWith('/orders/external/'));
    expect(new Set(lookups.map((r) => r.path)).size).toBe(120);
  }, 30_000);
});
