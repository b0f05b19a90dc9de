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
  Strategy,
  waitFor,
} from './fixtures/dhan/dhan-kit';

// Issue 18 follow-up: a native bracket's leg that filled at the broker is a fact, and a fact is always booked. An
// account that lost its route between the leg's intake and its attempt makes it retry (a dead letter once the
// attempts run out), never a rejection; a leg whose first booking was refused is booked once under a second key.

const RETRIES = { EXECUTION_RETRY_BASE_MS: '200', EXECUTION_MAX_ATTEMPTS: '5' };

describe('native bracket legs: a fill at the broker is always booked', () => {
  let sim: DhanSimulator;
  let api: TestApi;
  beforeAll(async () => {
    ({ sim, api } = await startBracketWorld(RETRIES));
  });
  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  // Long 2 at 2500 as a Super Order (target 2520, stop 2490), filled; the bracket's reads then fail, so its target
  // leg fills at the broker (the price reaches 2520) before the core sees it
  async function targetFilledUnseen(email: string, name: string) {
    const trader = await register(api.url, email);
    await connectSim(api.url, trader.accessToken);
    const strategy = await liveStrategy(api.url, trader.accessToken, { symbol: 'RELIANCE', name });
    sim.setPrice('2885', '2500');
    await sendAlert(api.url, strategy, { side: 'BUY', qty: 2, price: 2500, take_profit: '20pts', stop_loss: '10pts' });
    const entry = await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.status === 'FILLED'),
      'the bracket entry to fill',
    );
    sim.inject({ kind: 'http_500', method: 'GET', path: '/super/orders', times: -1 });
    sim.setPrice('2885', '2520');
    expect((sim.superOrders.toWire(sim.superOrders.list().at(-1)!) as any).orderStatus).toBe('CLOSED');
    return { token: trader.accessToken, strategy, entry };
  }

  // The next read of the bracket answers after 1.5 s; the account is disconnected while it waits, so the leg's exit
  // is accepted (its read passed the route) and then attempted without a route
  async function disconnectedWhileRead(token: string): Promise<void> {
    const before = sim.requests.length;
    sim.clearFaults();
    sim.inject({ kind: 'slow', method: 'GET', path: '/super/orders', delayMs: 1500 });
    await waitFor(
      async () => sim.requests.slice(before).some((r) => r.method === 'GET' && r.path === '/super/orders'),
      'the slow bracket read',
    );
    const off = await gql(api.url, 'mutation { disconnectBroker(broker: "dhan") }', {}, token);
    expect(off.data).toEqual({ disconnectBroker: true });
  }

  const legBooked = (strategy: Strategy) =>
    waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.status === 'FILLED'),
      'the target leg to be booked',
    );

  it('the account disconnected before the leg is attempted: it retries, and books the leg once connected again', async () => {
    const { token, strategy } = await targetFilledUnseen('leg-no-route@example.com', 'Leg without a route');
    await disconnectedWhileRead(token);
    // The attempt found no route: an error to retry, not a rejection
    const waiting = await waitFor(
      async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.last_error),
      'the leg attempted without a route',
    );
    expect(waiting).toMatchObject({ status: 'PENDING', reject_reason: null });
    expect(waiting.last_error).toMatch(/no connected .* account/);
    await connectSim(api.url, token);
    const exit = await legBooked(strategy);
    expect(exit.id).toBe(waiting.id);
    expect(Number(exit.qty)).toBe(2);
    expect(Number(exit.avg_fill_price)).toBe(2520);
    expect((await executions(api, strategy.id)).map((e) => `${e.source}:${e.status}`)).toEqual([
      'alert:FILLED',
      'exit:FILLED',
    ]);
    expect(await positionQty(api, strategy.id)).toBe(0);
    // (2520 - 2500) x 2
    expect(await grossPnls(api, strategy.id)).toEqual([40]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(0);
  });

  it('the account stays disconnected: the leg becomes a dead letter after its attempts, never a rejection', async () => {
    const { token, strategy } = await targetFilledUnseen('leg-dead-letter@example.com', 'Leg never routed');
    try {
      await disconnectedWhileRead(token);
      const failed = await waitFor(
        async () => (await executions(api, strategy.id)).find((e) => e.source === 'exit' && e.status === 'FAILED'),
        'the leg to run out of attempts',
        15_000,
      );
      expect(failed.reject_reason).toBe('retries_exhausted');
      const letters = await sql<{ reason: string; attempts: number }>(
        api,
        `select reason, attempts from dead_letters where execution_id = $1`,
        [failed.id],
      );
      expect(letters).toEqual([{ reason: 'broker_unavailable', attempts: Number(RETRIES.EXECUTION_MAX_ATTEMPTS) }]);
      expect((await executions(api, strategy.id)).filter((e) => e.status === 'REJECTED')).toHaveLength(0);
    } finally {
      sim.clearFaults();
    }
  });

  it('a leg whose first booking was refused is booked once under its second key, however often the poll sees it', async () => {
    const { strategy, entry } = await targetFilledUnseen('leg-refused@example.com', 'Leg refused before');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    const key = `bracket:${entry.id}:target`;
    // The leg's first booking went through the door rules (as before facts skipped them) and the kill switch refused it
    await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', {}, admin);
    try {
      const snapshot = (await api.services.strategyCache.byId(strategy.id))!;
      const refused = await api.services.intake.accept(
        snapshot,
        {
          secret: '',
          idempotencyKey: key,
          symbol: 'RELIANCE',
          side: 'EXIT',
          orderType: 'MARKET',
          extras: { source: 'exit', reason: 'take_profit', native: true },
        },
        '',
        '',
        'exit',
      );
      expect(refused).toMatchObject({ kind: 'rejected', reason: 'kill_switch' });
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', {}, admin);
    }
    // The bracket reads again (every 50 ms): the refused key answers duplicate, the leg is booked under the second one
    sim.clearFaults();
    const exit = await legBooked(strategy);
    // The poll stopped (the bracket is over); a restart's or another process's reads see the leg again
    for (let i = 0; i < 3; i++) expect(await api.services.exitPlans.native!.check(entry.id)).toBe(false);
    expect((await executions(api, strategy.id)).map((e) => `${e.source}:${e.status}`)).toEqual([
      'alert:FILLED',
      'exit:REJECTED',
      'exit:FILLED',
    ]);
    const alerts = await sql<{ idempotency_key: string }>(
      api,
      `select idempotency_key from alerts where strategy_id = $1 and idempotency_key like 'bracket:%' order by created_at`,
      [strategy.id],
    );
    expect(alerts.map((a) => a.idempotency_key)).toEqual([key, `${key}:fact`]);
    expect(Number(exit.qty)).toBe(2);
    expect(Number(exit.avg_fill_price)).toBe(2520);
    expect(await positionQty(api, strategy.id)).toBe(0);
    expect(await grossPnls(api, strategy.id)).toEqual([40]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(0);
  });
});
