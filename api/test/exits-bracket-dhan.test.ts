import path from 'node:path';
import type { DhanSimulator } from '@algodatta/broker-dhan';
import { gql, login, register } from './harness/graphql-client';
import { ADMIN, TestApi } from './harness/test-api';
import {
  connectSim,
  liveStrategy,
  positionQty,
  sendAlert,
  sql,
  grossPnls,
  startBracketWorld,
  strategyExecutions as executions,
  waitFor,
} from './fixtures/dhan/dhan-kit';

// Issue 18: a LIVE entry whose exits fit DhanHQ's Super Order goes as ONE bracket order (entry + target + stop loss +
// trailing jump); the broker does the one-cancels-the-other, the core books the leg that filled. An EXIT cancels
// the bracket before it sells; a broker that declares no brackets keeps the emulated exits.

const NO_BRACKET_PLUGIN = path.resolve(__dirname, 'fixtures/dhan-no-bracket.js');

describe('native brackets: DhanHQ Super Orders', () => {
  let sim: DhanSimulator;
  let api: TestApi;
  beforeAll(async () => {
    ({ sim, api } = await startBracketWorld());
  });
  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  const superPosts = (qty: number) =>
    sim.requests.filter((r) => r.method === 'POST' && r.path === '/super/orders' && (r.body as any)?.quantity === qty);
  const orderPosts = (qty: number) =>
    sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders' && (r.body as any)?.quantity === qty);

  it('buy 2 at 2500, target 1%, stop 10pts, trail 20pts: one Super Order; the target fills at 2525, the stop is cancelled, +50 booked', async () => {
    const trader = await register(api.url, 'bracket-target@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    sim.setPrice('2885', '2500');
    const reply = await sendAlert(api.url, strategy, {
      side: 'BUY',
      qty: 2,
      price: 2500,
      take_profit: '1%',
      stop_loss: '10pts',
      trailing_stop: '20pts',
    });
    expect(reply).toMatchObject({ status: 202 });
    const entry = await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.status === 'FILLED'),
      'the bracket entry to fill',
    );
    // ONE Super Order on the wire: the entry with its target, stop and trailing jump; no plain order
    expect(superPosts(2)).toHaveLength(1);
    expect(superPosts(2)[0].body).toMatchObject({
      transactionType: 'BUY',
      orderType: 'MARKET',
      securityId: '2885',
      quantity: 2,
      targetPrice: 2525,
      stopLossPrice: 2490,
      trailingJump: 20,
    });
    expect(orderPosts(2)).toHaveLength(0);
    expect(Number(entry.avg_fill_price)).toBe(2500);
    // No emulated plan is armed for it: the broker holds the exits
    expect(await sql(api, `select id from exit_plans where strategy_id = $1`, [strategy.id])).toHaveLength(0);
    const shown = await gql(
      api.url,
      'query($id: ID!) { execution(id: $id) { id exitsMode } }',
      { id: entry.id },
      trader.accessToken,
    );
    expect(shown.data?.execution).toEqual({ id: entry.id, exitsMode: 'NATIVE' });

    // The price reaches the target: the broker sells 2 at 2525 and cancels the stop (OCO)
    sim.setPrice('2885', '2525');
    const exit = await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.status === 'FILLED'),
      'the target leg to be booked',
    );
    expect(Number(exit.qty)).toBe(2);
    expect(Number(exit.avg_fill_price)).toBe(2525);
    expect(await positionQty(api, strategy.id)).toBe(0);
    const [trip] = await sql<{ gross_pnl: string; entry_price: string; exit_price: string }>(
      api,
      `select gross_pnl::text, entry_price::text, exit_price::text from round_trips where strategy_id = $1`,
      [strategy.id],
    );
    // (2525 - 2500) x 2
    expect(Number(trip.entry_price)).toBe(2500);
    expect(Number(trip.exit_price)).toBe(2525);
    expect(Number(trip.gross_pnl)).toBe(50);
    const [bracket] = sim.superOrders.list().filter((s) => s.entry.quantity === 2);
    const wire = sim.superOrders.toWire(bracket) as any;
    expect(wire.orderStatus).toBe('CLOSED');
    expect(wire.legDetails.find((l: any) => l.legName === 'STOP_LOSS_LEG').orderStatus).toBe('CANCELLED');
    // The stop's price later sells nothing more; the core sent no order of its own
    sim.setPrice('2885', '2480');
    await new Promise((r) => setTimeout(r, 300));
    expect((await executions(api, strategy.id)).map((e) => `${e.source}:${e.status}`)).toEqual([
      'alert:FILLED',
      'exit:FILLED',
    ]);
    expect(await positionQty(api, strategy.id)).toBe(0);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(0);
  });

  it('an EXIT alert cancels the open bracket, then sells once; the target price later trades nothing', async () => {
    const trader = await register(api.url, 'bracket-exit@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    sim.setPrice('2885', '2500');
    await sendAlert(api.url, strategy, { side: 'BUY', qty: 3, price: 2500, take_profit: '20pts', stop_loss: '10pts' });
    await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.status === 'FILLED'),
      'the bracket entry to fill',
    );
    expect(superPosts(3)).toHaveLength(1);
    const [bracket] = sim.superOrders.list().filter((s) => s.entry.quantity === 3);
    sim.setPrice('2885', '2505');
    const reply = await sendAlert(api.url, strategy, { side: 'EXIT', qty: undefined, price: 2505 });
    expect(reply).toMatchObject({ status: 202 });
    await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.side === 'EXIT' && e.status === 'FILLED'),
      'the EXIT to fill',
    );
    // The bracket was cancelled (entry leg: every leg) before the sell
    const cancel = sim.requests.findIndex(
      (r) => r.method === 'DELETE' && r.path === `/super/orders/${bracket.orderId}/ENTRY_LEG`,
    );
    const sell = sim.requests.findIndex(
      (r) => r.method === 'POST' && r.path === '/orders' && (r.body as any)?.transactionType === 'SELL',
    );
    expect(cancel).toBeGreaterThan(-1);
    expect(sell).toBeGreaterThan(cancel);
    expect(orderPosts(3)).toHaveLength(1);
    expect((sim.superOrders.toWire(bracket) as any).orderStatus).toBe('CANCELLED');
    expect(await positionQty(api, strategy.id)).toBe(0);
    // The target's price comes: nothing trades, nothing is booked
    sim.setPrice('2885', '2520');
    sim.setPrice('2885', '2480');
    await new Promise((r) => setTimeout(r, 300));
    expect(await positionQty(api, strategy.id)).toBe(0);
    expect((await executions(api, strategy.id)).map((e) => `${e.source}:${e.side}:${e.status}`)).toEqual([
      'alert:BUY:FILLED',
      'alert:EXIT:FILLED',
    ]);
    // (2505 - 2500) x 3
    expect(await grossPnls(api, strategy.id)).toEqual([15]);
  });

  it('exits without a target (stop only) are emulated: a plain order and an exit plan', async () => {
    const trader = await register(api.url, 'bracket-stop-only@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    sim.setPrice('2885', '2500');
    await sendAlert(api.url, strategy, { side: 'BUY', qty: 4, price: 2500, stop_loss: '10pts' });
    await waitFor(
      async () =>
        (await sql<{ status: string }>(api, `select status from exit_plans where strategy_id = $1`, [strategy.id]))[0],
      'an emulated plan',
    );
    expect(superPosts(4)).toHaveLength(0);
    expect(orderPosts(4)).toHaveLength(1);
  });
});

describe('native brackets and the kill switch', () => {
  let sim: DhanSimulator;
  let api: TestApi;
  beforeAll(async () => {
    ({ sim, api } = await startBracketWorld());
  });
  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  it('turning it on cancels every working bracket: a resting entry ends CANCELLED, a filled one keeps its position with no leg left', async () => {
    const trader = await register(api.url, 'bracket-kill@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    sim.setPrice('2885', '2500');
    // A filled bracket: long 2 at 2500, target 2520, stop 2490
    await sendAlert(api.url, strategy, { side: 'BUY', qty: 2, price: 2500, take_profit: '20pts', stop_loss: '10pts' });
    await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.status === 'FILLED'),
      'the first bracket entry to fill',
    );
    // A resting one (another strategy: an add to an open position is no bracket): buy 1 at 2480 (LIMIT, below the
    // market), target 2500, stop 2470
    const other = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE', name: 'Resting bracket' });
    await sendAlert(api.url, other, {
      side: 'BUY',
      qty: 1,
      order_type: 'LIMIT',
      price: 2480,
      take_profit: '20pts',
      stop_loss: '10pts',
    });
    const resting = await waitFor(
      async () => (await executions(api, other.id)).find((e) => e.status === 'PLACED'),
      'the second bracket entry to rest',
    );
    const posts = sim.requests.filter((r) => r.method === 'POST' && r.path === '/super/orders');
    expect(posts.map((r) => (r.body as any).quantity)).toEqual([2, 1]);
    expect(posts[1].body).toMatchObject({ orderType: 'LIMIT', price: 2480, targetPrice: 2500, stopLossPrice: 2470 });
    const brackets = sim.superOrders.list();
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    const on = await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', {}, admin);
    expect(on.data).toEqual({ setKillSwitch: true });
    try {
      for (const b of brackets)
        expect(
          sim.requests.some((r) => r.method === 'DELETE' && r.path === `/super/orders/${b.orderId}/ENTRY_LEG`),
        ).toBe(true);
      expect(brackets.map((b) => (sim.superOrders.toWire(b) as any).orderStatus)).toEqual(['CANCELLED', 'CANCELLED']);
      await waitFor(
        async () => (await executions(api, other.id)).find((e) => e.id === resting.id && e.status === 'CANCELLED'),
        'the resting entry to end CANCELLED',
      );
      // The position stays open (as an emulated plan's exits are refused while trading is halted); no leg trades
      sim.setPrice('2885', '2530');
      sim.setPrice('2885', '2460');
      await new Promise((r) => setTimeout(r, 300));
      expect(await positionQty(api, strategy.id)).toBe(2);
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(0);
      expect((await executions(api, strategy.id)).map((e) => e.status)).toEqual(['FILLED']);
      expect(await positionQty(api, other.id)).toBe(0);
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', {}, admin);
    }
  });

  it('a leg that filled at the broker is booked once while the switch is on: one key, one alert, flat, +40', async () => {
    const trader = await register(api.url, 'bracket-kill-leg@example.com');
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, {
      symbol: 'RELIANCE',
      name: 'Leg under the switch',
    });
    sim.setPrice('2885', '2500');
    // Long 2 at 2500, target 2520, stop 2490
    await sendAlert(api.url, strategy, { side: 'BUY', qty: 2, price: 2500, take_profit: '20pts', stop_loss: '10pts' });
    const entry = await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.status === 'FILLED'),
      'the bracket entry to fill',
    );
    // The core cannot read the bracket for a while: the target fills at the broker, then the switch goes on
    sim.inject({ kind: 'http_500', method: 'GET', path: '/super/orders', times: -1 });
    sim.setPrice('2885', '2520');
    const bracket = sim.superOrders.list().at(-1)!;
    expect((sim.superOrders.toWire(bracket) as any).orderStatus).toBe('CLOSED');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    expect((await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', {}, admin)).data).toEqual({
      setKillSwitch: true,
    });
    try {
      // The bracket reads again (every 50 ms): the filled leg is a fact, booked despite the switch
      sim.clearFaults();
      const exit = await waitFor(
        async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.status === 'FILLED'),
        'the target leg to be booked under the kill switch',
      );
      // Several more reads pass: nothing more is booked or refused
      await new Promise((r) => setTimeout(r, 500));
      expect((await executions(api, strategy.id)).map((e) => `${e.source}:${e.status}`)).toEqual([
        'alert:FILLED',
        'exit:FILLED',
      ]);
      const alerts = await sql<{ idempotency_key: string; status: string }>(
        api,
        `select idempotency_key, status from alerts where strategy_id = $1 order by created_at`,
        [strategy.id],
      );
      expect(alerts).toHaveLength(2);
      expect(alerts[1].idempotency_key).toBe(`bracket:${entry.id}:target`);
      expect(alerts.filter((a) => a.status === 'REJECTED')).toHaveLength(0);
      expect(Number(exit.qty)).toBe(2);
      expect(Number(exit.avg_fill_price)).toBe(2520);
      expect(await positionQty(api, strategy.id)).toBe(0);
      // (2520 - 2500) x 2
      expect(await grossPnls(api, strategy.id)).toEqual([40]);
      // The leg's execution adopted the broker's fill: the core sent no order of its own
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(0);
    } finally {
      sim.clearFaults();
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', {}, admin);
    }
  });
});

describe('native brackets: a broker that declares none, or NATIVE_BRACKETS=off', () => {
  for (const [name, env] of [
    ['the plugin declares no bracketOrders', { BROKER_PLUGINS: NO_BRACKET_PLUGIN }],
    ['NATIVE_BRACKETS=off', { NATIVE_BRACKETS: 'off' }],
  ] as const) {
    it(`${name}: the same exits are emulated (a plain order, an exit plan, the core's exit at the target)`, async () => {
      const { sim, api } = await startBracketWorld(env);
      try {
        const trader = await register(api.url, `bracket-emulated-${env.NATIVE_BRACKETS ?? 'plugin'}@example.com`);
        await connectSim(api.url, trader.accessToken);
        const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
        await sendAlert(api.url, strategy, { side: 'BUY', qty: 2, price: 2500, take_profit: '1%', stop_loss: '10pts' });
        const plan = await waitFor(
          async () =>
            (
              await sql<{ status: string; take_profit_price: string }>(
                api,
                `select status, take_profit_price::text from exit_plans where strategy_id = $1`,
                [strategy.id],
              )
            )[0],
          'an emulated plan',
        );
        expect(Number(plan.take_profit_price)).toBe(2525);
        expect(sim.requests.filter((r) => r.path.startsWith('/super/orders'))).toHaveLength(0);
        const [entry] = await executions(api, strategy.id);
        const shown = await gql(
          api.url,
          'query($id: ID!) { execution(id: $id) { exitsMode } }',
          { id: entry.id },
          trader.accessToken,
        );
        expect(shown.data?.execution).toEqual({ exitsMode: 'EMULATED' });
        // The price reaches the target (the feed's tick): the core sends the exit
        await waitFor(async () => sim.marketFeed.connections > 0, 'a market feed connection');
        sim.setPrice('2885', '2525');
        const exit = await waitFor(
          async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.status === 'FILLED'),
          'the emulated exit to fill',
        );
        expect(Number(exit.qty)).toBe(2);
        expect(await positionQty(api, strategy.id)).toBe(0);
      } finally {
        await api.close();
        await sim.close();
      }
    });
  }
});
