import { register, Session } from './harness/graphql-client';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  sql,
  startDhanWorld,
  waitFor,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

// The two other ways a Dhan fill reaches the api besides postbacks: the order poll and the order-update stream.
describe('Dhan fills without postbacks: the order poll', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld({}, { prices: { 2885: '2500' } });
    trader = await register(world.api.url, 'poll@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should find the fill of a resting order when the poll reads it back', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 3, order_type: 'LIMIT', price: 2450 });
    const placed = await waitForExecution(world.api, reply.body.alert_id, ['PLACED']);
    // The placement's own read-back (4 reads in the first 4 s) would find the fill: let it finish first, so the poll
    // is what finds it (under load a late read-back came between the checks below)
    const readsOfOrder = () => {
      const placedAt = world.sim.requests.findIndex((r) => r.method === 'POST' && r.path === '/orders');
      return world.sim.requests.slice(placedAt + 1).filter((r) => r.method === 'GET' && r.path.startsWith('/orders/'))
        .length;
    };
    await waitFor(async () => readsOfOrder() >= 4, 'the read-back schedule done', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    world.sim.setPrice('2885', '2440');
    await waitFor(
      async () =>
        [...world.sim.state.orders.values()].some(
          (o) => o.correlationId === placed.client_order_id && o.status === 'TRADED',
        ),
      'the fill at Dhan',
    );
    await new Promise((r) => setTimeout(r, 200));
    // Nothing told the api (no postback URL, no stream): still PLACED
    expect(
      (await sql<{ status: string }>(world.api, 'select status from executions where id = $1', [placed.id]))[0].status,
    ).toBe('PLACED');

    // The poll looks at orders untouched for a few seconds; make this one old instead of waiting
    await sql(world.api, `update executions set updated_at = now() - interval '1 minute' where id = $1`, [placed.id]);
    expect(await world.api.services.recovery.pollOpenOrders()).toBe(1);
    const filled = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    expect(filled).toMatchObject({ filled_qty: '3.0000', avg_fill_price: '2440.0000' });
  });
});

describe('Dhan fills without postbacks: the order-update stream', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld({}, { prices: { 11536: '4000' } }, { stream: true });
    trader = await register(world.api.url, 'stream@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should fill from the WebSocket order alerts, once, even when Dhan re-sends them', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'TCS' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 2, order_type: 'LIMIT', price: 3990 });
    const placed = await waitForExecution(world.api, reply.body.alert_id, ['PLACED']);
    const trades = world.sim.requests.filter((r) => r.path === '/trades').length;
    world.sim.setPrice('11536', '3985');
    const filled = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    expect(filled).toMatchObject({ filled_qty: '2.0000' });
    // Delivered by the stream itself, not by a read-back of the trade book
    expect(world.sim.requests.filter((r) => r.path === '/trades').length).toBe(trades);
    world.sim.replayOrderAlerts();
    await new Promise((r) => setTimeout(r, 300));
    expect(await sql(world.api, 'select id from fills where execution_id = $1', [placed.id])).toHaveLength(1);
  });
});
