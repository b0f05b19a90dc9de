import { register, Session } from './harness/graphql-client';
import { connectSim, DhanWorld, liveStrategy, sendAlert, sql, startDhanWorld, waitFor } from './fixtures/dhan/dhan-kit';

const CAP = 8;
// One busy strategy fires first, two others right after it
const BURST = [16, 4, 4];

// A burst from several LIVE strategies of one Dhan account: the account's order cap (8/s, below the exchange's
// 10/s algo threshold) holds across all of them; orders over it wait their turn, fairly by strategy, and none is
// refused. The simulator refuses (429) anything above the cap in any 1 s window, so a breach would show as a reject.
describe('per-account order rate cap under a burst (DhanHQ)', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      { EXECUTOR_CONCURRENCY: '32' },
      {
        prices: { 2885: '2500', 11536: '4000', 1594: '1500' },
        instruments: {
          2885: { tradingSymbol: 'RELIANCE', lotSize: 1 },
          11536: { tradingSymbol: 'TCS', lotSize: 1 },
          1594: { tradingSymbol: 'INFY', lotSize: 1 },
        },
        orderRateLimitPerSecond: CAP,
      },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'rate-cap@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should queue the burst fairly under 8 orders per second and place every order', async () => {
    const strategies = await Promise.all(
      ['RELIANCE', 'TCS', 'INFY'].map((symbol) =>
        liveStrategy(world.api.url, trader.accessToken, { symbol, alertsPerMinute: 1000 }),
      ),
    );
    const from = world.sim.requests.length;
    const send = (i: number) =>
      Promise.all(
        Array.from({ length: BURST[i] }, () => sendAlert(world.api.url, strategies[i], { side: 'BUY', qty: 1 })),
      );
    const busy = await send(0);
    const replies = [...busy, ...(await Promise.all([send(1), send(2)])).flat()];
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 202));
    const total = BURST.reduce((a, b) => a + b, 0);
    const rows = await waitFor(
      async () => {
        const r = await sql<{ status: string; strategy_id: string; client_order_id: string }>(
          world.api,
          'select status, strategy_id, client_order_id from executions where alert_id = any($1::uuid[])',
          [replies.map((x) => x.body.alert_id)],
        );
        return r.every((e) => e.status === 'FILLED' || e.status === 'REJECTED' || e.status === 'FAILED') &&
          r.length === total
          ? r
          : undefined;
      },
      'every execution settled',
      30_000,
    );
    expect(rows.filter((e) => e.status !== 'FILLED')).toEqual([]);

    const placed = world.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/orders');
    expect(placed).toHaveLength(total);
    // Never more than the cap in any 1 s window
    const times = placed.map((r) => r.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0; i < times.length; i++)
      most = Math.max(most, times.filter((t) => t >= times[i] && t < times[i] + 1000).length);
    expect(most).toBeLessThanOrEqual(CAP);
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(Math.floor((total - 1) / CAP) * 1000 - 100);

    // Fair: the two later strategies did not wait for the busy one's whole burst; their orders went out between its own
    const strategyOf = new Map(rows.map((e) => [e.client_order_id, e.strategy_id]));
    const order = placed.map((r) => strategyOf.get(String((r.body as { correlationId: string }).correlationId)));
    const lastOfOthers = Math.max(order.lastIndexOf(strategies[1].id), order.lastIndexOf(strategies[2].id));
    expect(lastOfOthers).toBeLessThan(order.lastIndexOf(strategies[0].id));
    expect(order.slice(0, 16).filter((id) => id !== strategies[0].id).length).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
