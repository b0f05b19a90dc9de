import { ADMIN, startApiOn, startTestApi, TestApi } from './harness/test-api';
import { dropDatabase } from './harness/databases';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Issue 18, exits attached to a signal, emulated by the core on paper. Prices come from PRICE alerts (and any
// alert's price); every P&L below is computed by hand from the fill prices (slippage 0), charges aside:
// round_trips.gross_pnl is checked against the hand figure and net_pnl against gross - charges.
type Plan = {
  id: string;
  status: string;
  side: string;
  entry_price: string;
  stop_price: string | null;
  stop_origin: string | null;
  take_profit_price: string | null;
  exit_reason: string | null;
  exit_execution_id: string | null;
  end_reason: string | null;
};

const ENV = { BROKER_PAPER_SLIPPAGE_BPS: '0', RECOVERY_SWEEP_SECONDS: '3600' };

async function plansOf(api: TestApi, strategyId: string): Promise<Plan[]> {
  return api.db.sql.query<Plan>(
    `select id, status, side, entry_price::text, stop_price::text, stop_origin, take_profit_price::text, exit_reason,
       exit_execution_id, end_reason from exit_plans where strategy_id = ? order by created_at`,
    [strategyId],
  );
}

const exitExecutions = (api: TestApi, strategyId: string) =>
  api.db.sql.query<{ id: string; status: string; avg_fill_price: string | null; qty: string }>(
    `select id, status, avg_fill_price::text, qty::text from executions where strategy_id = ? and source = 'exit' order by created_at`,
    [strategyId],
  );

const trips = (api: TestApi, strategyId: string) =>
  api.db.sql.query<{
    side: string;
    qty: string;
    entry_price: string;
    exit_price: string;
    gross_pnl: string;
    charges: string;
    net_pnl: string;
  }>(
    `select side, qty::text, entry_price::text, exit_price::text, gross_pnl::text, charges::text, net_pnl::text
     from round_trips where strategy_id = ? order by closed_at`,
    [strategyId],
  );

const num = (v: string | null) => (v === null ? null : Number(v));

describe('exits attached to a signal (paper, emulated)', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi(ENV);
    trader = await register(api.url, 'exits@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const send = (s: Deployed, fields: Record<string, unknown>) =>
    postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), order_type: 'MARKET', ...fields });
  const price = (s: Deployed, p: string | number) => send(s, { side: 'PRICE', price: p });
  const entry = async (s: Deployed, fields: Record<string, unknown>) => {
    const reply = await send(s, fields);
    expect(reply).toMatchObject({ status: 202 });
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    return waitFor(async () => (await plansOf(api, s.id)).find((p) => p.status === 'ACTIVE'), 8000, 'an active plan');
  };
  const exitFilled = (s: Deployed, count = 1) =>
    waitFor(
      async () => {
        const exits = await exitExecutions(api, s.id);
        return exits.length === count && exits.every((e) => e.status === 'FILLED') ? exits : undefined;
      },
      8000,
      `${count} filled exit(s)`,
    );
  const strategy = (input: Record<string, unknown>) => createAndDeploy(api.url, trader.accessToken, input);
  // A plan ends when its exit's fill event is heard, just after the fill is stored
  const endedPlan = (s: Deployed) =>
    waitFor(async () => (await plansOf(api, s.id)).find((p) => p.status === 'ENDED'), 8000, 'the plan to end');

  it('stop loss round trip: buy 10 at 2500, stop 20pts (2480), a PRICE at 2479 exits once; -210 gross', async () => {
    const s = await strategy({ symbol: 'RELIANCE', qty: 10 });
    const plan = await entry(s, { side: 'buy', price: '2500', stop_loss: '20pts', take_profit: '2%' });
    expect(plan).toMatchObject({ side: 'LONG', stop_origin: 'stop_loss' });
    expect([num(plan.entry_price), num(plan.stop_price), num(plan.take_profit_price)]).toEqual([2500, 2480, 2550]);
    expect(await price(s, 2490)).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(await exitExecutions(api, s.id)).toEqual([]);
    expect(await price(s, '2479')).toMatchObject({ status: 202 });
    const [exit] = await exitFilled(s);
    expect(num(exit.avg_fill_price)).toBe(2479);
    // (2479 - 2500) x 10 = -210
    const [trip] = await trips(api, s.id);
    expect(trip).toMatchObject({ side: 'LONG' });
    expect(num(trip.gross_pnl)).toBe(-210);
    expect(num(trip.net_pnl)).toBeCloseTo(-210 - Number(trip.charges), 4);
    // OCO: the target is void now; a price through it sends nothing more
    expect(await price(s, 2600)).toMatchObject({ status: 202 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await exitExecutions(api, s.id)).toHaveLength(1);
    const after = await endedPlan(s);
    expect(after).toMatchObject({ status: 'ENDED', exit_reason: 'stop_loss', end_reason: 'exit_filled' });
    const [{ id: entryId }] = await api.db.sql.query<{ id: string }>(
      `select entry_execution_id as id from exit_plans where id = ?`,
      [plan.id],
    );
    // The plan's story on the entry's execution (its last event is written just after the plan ends)
    const actions = await waitFor(
      async () => {
        const events = await gql(
          api.url,
          'query($id: ID!) { execution(id: $id) { events { type payload } } }',
          { id: entryId },
          trader.accessToken,
        );
        const list = (events.data!.execution.events as Array<{ type: string; payload: any }>)
          .filter((e) => e.type === 'EXIT_PLAN')
          .map((e) => e.payload.action as string);
        return list.length >= 3 ? list : undefined;
      },
      8000,
      'three plan events',
    );
    expect(actions).toEqual(['created', 'triggered', 'ended']);
  });

  it('take profit round trip on a short: sell 10 at 2500, target 2450, stop 1% (2525); +500 gross', async () => {
    const s = await strategy({ symbol: 'TCS', qty: 10 });
    const plan = await entry(s, { side: 'sell', price: '2500', take_profit: 2450, stop_loss: '1%' });
    expect(plan).toMatchObject({ side: 'SHORT' });
    expect([num(plan.stop_price), num(plan.take_profit_price)]).toEqual([2525, 2450]);
    await price(s, 2460);
    expect(await exitExecutions(api, s.id)).toEqual([]);
    await price(s, 2450);
    const [exit] = await exitFilled(s);
    expect(num(exit.avg_fill_price)).toBe(2450);
    const [trip] = await trips(api, s.id);
    expect(num(trip.gross_pnl)).toBe(500);
    // OCO: the stop never fires after the target
    await price(s, 2600);
    await new Promise((r) => setTimeout(r, 300));
    expect(await exitExecutions(api, s.id)).toHaveLength(1);
    expect(await endedPlan(s)).toMatchObject({ exit_reason: 'take_profit', status: 'ENDED' });
  });

  it('trailing stop follows the best price: buy 10 at 1000, trail 10pts; 1020 moves it to 1010; 1009 exits (+90)', async () => {
    const s = await strategy({ symbol: 'INFY', qty: 10 });
    const plan = await entry(s, { side: 'buy', price: '1000', trailing_stop: '10pts' });
    expect([num(plan.stop_price), plan.stop_origin]).toEqual([990, 'trailing_stop']);
    await price(s, 1020);
    expect(num((await plansOf(api, s.id))[0].stop_price)).toBe(1010);
    // A lower price never moves it back
    await price(s, 1015);
    expect(num((await plansOf(api, s.id))[0].stop_price)).toBe(1010);
    expect(await exitExecutions(api, s.id)).toEqual([]);
    await price(s, 1009);
    await exitFilled(s);
    expect(num((await trips(api, s.id))[0].gross_pnl)).toBe(90);
    expect(await endedPlan(s)).toMatchObject({ exit_reason: 'trailing_stop' });
  });

  it('breakeven: buy 10 at 1000, stop 980, breakeven at 1%; 1011 moves the stop to 1000, which then exits flat', async () => {
    const s = await strategy({ symbol: 'SBIN', qty: 10 });
    await entry(s, { side: 'buy', price: '1000', stop_loss: 980, breakeven_at: '1%' });
    await price(s, 1005);
    expect(num((await plansOf(api, s.id))[0].stop_price)).toBe(980);
    await price(s, 1011);
    expect((await plansOf(api, s.id))[0]).toMatchObject({ stop_origin: 'breakeven' });
    expect(num((await plansOf(api, s.id))[0].stop_price)).toBe(1000);
    await price(s, 1000);
    await exitFilled(s);
    expect(num((await trips(api, s.id))[0].gross_pnl)).toBe(0);
    expect(await endedPlan(s)).toMatchObject({ exit_reason: 'breakeven' });
  });

  it('exit_after closes the position once its minutes are up (judged by the sweep)', async () => {
    const s = await strategy({ symbol: 'WIPRO', qty: 5 });
    const plan = await entry(s, { side: 'buy', price: '500', exit_after: 30 });
    await api.services.exitPlans.sweep();
    expect(await exitExecutions(api, s.id)).toEqual([]);
    // Thirty minutes later, as far as the plan knows
    await api.db.sql.query(`update exit_plans set expires_at = now() - interval '1 second' where id = ?`, [plan.id]);
    await api.services.exitPlans.sweep();
    await api.services.exitPlans.sweep();
    const [exit] = await exitFilled(s);
    // At the last price the position knew: the entry's 500
    expect(num(exit.avg_fill_price)).toBe(500);
    expect(await endedPlan(s)).toMatchObject({ exit_reason: 'exit_after', status: 'ENDED' });
  });

  it("an order alert's price is judged too, before its own order; an opposite signal ends the plan", async () => {
    const s = await strategy({ symbol: 'HDFCBANK', qty: 1 });
    await entry(s, { side: 'buy', price: '1600', stop_loss: '10pts' });
    // A reversal (REVERSE policy) at a price inside the levels: the long plan ends, the short has no exits
    const reply = await send(s, { side: 'sell', price: '1605' });
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    await waitFor(async () => (await plansOf(api, s.id))[0].status === 'ENDED', 8000, 'the plan to end');
    expect((await plansOf(api, s.id))[0]).toMatchObject({ end_reason: 'reversed', exit_reason: null });
    await price(s, 1500);
    expect(await exitExecutions(api, s.id)).toEqual([]);
  });

  it('a stale price is not exited at, and closing the position from the dashboard ends the plan', async () => {
    const s = await strategy({ symbol: 'MARUTI', qty: 1 });
    const plan = await entry(s, { side: 'buy', price: '12000', stop_loss: 11900 });
    // Older than maxSignalAgeSeconds (60): recorded, but no exit at that price
    const old = new Date(Date.now() - 5 * 60_000).toISOString();
    expect(await send(s, { side: 'PRICE', price: 11800, time: old })).toMatchObject({ status: 202 });
    expect(await exitExecutions(api, s.id)).toEqual([]);
    expect((await plansOf(api, s.id))[0]).toMatchObject({ status: 'ACTIVE' });
    const closed = await gql(
      api.url,
      'mutation($s: ID!) { closePosition(strategyId: $s, symbol: "MARUTI") { id } }',
      { s: s.id },
      trader.accessToken,
    );
    expect(closed.errors).toBeUndefined();
    await waitFor(async () => (await plansOf(api, s.id))[0].status === 'ENDED', 8000, 'the plan to end');
    expect((await plansOf(api, s.id))[0]).toMatchObject({ id: plan.id, end_reason: 'position_closed' });
    await price(s, 11000);
    expect(await exitExecutions(api, s.id)).toEqual([]);
  });

  it("a strategy's default exits apply to every entry, and the alert's fields override them", async () => {
    const s = await strategy({ symbol: 'ITC', qty: 1, exitDefaults: { stopLoss: '1%', takeProfit: '20pts' } });
    const shown = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { exitDefaults { stopLoss takeProfit trailingStop exitAfterMinutes } } }',
      { id: s.id },
      trader.accessToken,
    );
    expect(shown.data!.strategy.exitDefaults).toEqual({
      stopLoss: '1%',
      takeProfit: '20pts',
      trailingStop: null,
      exitAfterMinutes: null,
    });
    const plan = await entry(s, { side: 'buy', price: '400', take_profit: '450' });
    expect([num(plan.stop_price), num(plan.take_profit_price)]).toEqual([396, 450]);
  });

  it('an exit refused by the kill switch arms the plan again (notified); the next crossing retries once', async () => {
    const s = await strategy({ symbol: 'BPCL', qty: 4 });
    const plan = await entry(s, { side: 'buy', price: '300', stop_loss: '290' });
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    const killSwitch = (on: boolean) =>
      gql(api.url, 'mutation($e: Boolean!) { setKillSwitch(enabled: $e) }', { e: on }, admin);
    expect((await killSwitch(true)).errors).toBeUndefined();
    try {
      expect(await price(s, 289)).toMatchObject({ status: 202 });
      // Refused at the door: the plan is ACTIVE again, its first attempt spent
      const armed = await waitFor(
        async () => {
          const [row] = await api.db.sql.query<{ status: string; exit_attempts: number }>(
            `select status, exit_attempts from exit_plans where id = ?`,
            [plan.id],
          );
          return row.status === 'ACTIVE' && row.exit_attempts === 1 ? row : undefined;
        },
        8000,
        'the plan armed again',
      );
      expect(armed).toBeDefined();
      const refused = await api.db.sql.query<{ status: string; reject_reason: string }>(
        `select status, reject_reason from alerts where strategy_id = ? and idempotency_key like 'exit:%'`,
        [s.id],
      );
      expect(refused).toEqual([{ status: 'REJECTED', reject_reason: 'kill_switch' }]);
    } finally {
      await killSwitch(false);
    }
    // The failure is on the entry's story and notified as an ERROR
    const events = await api.db.sql.query<{ type: string; payload: any }>(
      `select ev.type, ev.payload from execution_events ev join exit_plans p on p.entry_execution_id = ev.execution_id
       where p.id = ? and ev.type in ('EXIT_PLAN', 'ERROR') order by ev.at`,
      [plan.id],
    );
    expect(events.map((e) => [e.type, e.payload.action ?? e.payload.code])).toEqual([
      ['EXIT_PLAN', 'created'],
      ['EXIT_PLAN', 'triggered'],
      ['EXIT_PLAN', 'exit_failed'],
      ['ERROR', 'exit_failed'],
    ]);
    expect(events[2].payload).toMatchObject({ reason: 'kill_switch', attempt: 1 });
    // Before the backoff (15 s after a first refusal) a crossing price does not retry
    const [{ retry_after }] = await api.db.sql.query<{ retry_after: Date }>(
      `select retry_after from exit_plans where id = ?`,
      [plan.id],
    );
    expect(new Date(retry_after).getTime()).toBeGreaterThan(Date.now() + 5_000);
    await price(s, 288.5);
    expect((await exitExecutions(api, s.id)).map((e) => e.status)).toEqual(['REJECTED']);
    // Once it has passed, the next price through the stop retries, under a new key; more crossing prices send nothing
    await api.db.sql.query(`update exit_plans set retry_after = now() - interval '1 second' where id = ?`, [plan.id]);
    await price(s, 288);
    await price(s, 287);
    // The refused attempt is recorded as a REJECTED exit execution; the retry's fills
    const [, exit] = await waitFor(
      async () => {
        const exits = await exitExecutions(api, s.id);
        return exits.map((e) => e.status).join() === 'REJECTED,FILLED' ? exits : undefined;
      },
      8000,
      'the refused exit and the filled retry',
    );
    expect(num(exit.avg_fill_price)).toBe(288);
    await price(s, 286);
    // (288 - 300) x 4 = -48
    expect(num((await trips(api, s.id))[0].gross_pnl)).toBe(-48);
    expect(await endedPlan(s)).toMatchObject({ exit_reason: 'stop_loss', end_reason: 'exit_filled' });
    expect(await exitExecutions(api, s.id)).toHaveLength(2);
    const keys = await api.db.sql.query<{ idempotency_key: string }>(
      `select idempotency_key from alerts where strategy_id = ? and idempotency_key like 'exit:%' order by received_at`,
      [s.id],
    );
    expect(keys.map((k) => k.idempotency_key)).toEqual([`exit:${plan.id}`, `exit:${plan.id}:2`]);
  });

  it('a patch of exitDefaults changes only the fields it names (null clears one); exitDefaults: null clears all', async () => {
    const s = await strategy({ symbol: 'NTPC', qty: 1, exitDefaults: { stopLoss: '1%', takeProfit: '20pts' } });
    const patch = async (exitDefaults: unknown) => {
      const res = await gql(
        api.url,
        `mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) {
           exitDefaults { stopLoss takeProfit trailingStop breakevenAt exitAfterMinutes } } }`,
        { id: s.id, p: { exitDefaults } },
        trader.accessToken,
      );
      expect(res.errors).toBeUndefined();
      return res.data!.updateStrategy.exitDefaults;
    };
    const none = { stopLoss: null, takeProfit: null, trailingStop: null, breakevenAt: null, exitAfterMinutes: null };
    expect(await patch({ trailingStop: '5pts', exitAfterMinutes: 30 })).toEqual({
      ...none,
      stopLoss: '1%',
      takeProfit: '20pts',
      trailingStop: '5pts',
      exitAfterMinutes: 30,
    });
    expect(await patch({ takeProfit: null, stopLoss: '2%' })).toEqual({
      ...none,
      stopLoss: '2%',
      trailingStop: '5pts',
      exitAfterMinutes: 30,
    });
    // A patch of other settings leaves them alone
    const other = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: 2 }) { exitDefaults { stopLoss trailingStop } } }',
      { id: s.id },
      trader.accessToken,
    );
    expect(other.data!.updateStrategy.exitDefaults).toEqual({ stopLoss: '2%', trailingStop: '5pts' });
    // A bad field in a partial patch is refused and changes nothing
    const bad = await gql(
      api.url,
      'mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { id } }',
      { id: s.id, p: { exitDefaults: { breakevenAt: 'abc' } } },
      trader.accessToken,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors)).toContain('exitDefaults.breakevenAt');
    const [row] = await api.db.sql.query<{ exit_defaults: unknown }>(
      `select exit_defaults from strategies where id = ?`,
      [s.id],
    );
    expect(row.exit_defaults).toMatchObject({ stopLoss: '2%', trailingStop: '5pts', exitAfterMinutes: 30 });
    expect(await patch({ stopLoss: null, trailingStop: null, exitAfterMinutes: null })).toBeNull();
    expect(await patch({ stopLoss: '1%' })).toEqual({ ...none, stopLoss: '1%' });
    expect(await patch(null)).toBeNull();
  });

  it('refuses bad exit input with the field named, and changes nothing', async () => {
    const s = await strategy({ symbol: 'LT', qty: 1 });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ side: 'buy', price: '3000', stop_loss: 'abc' }, 'stop_loss'],
      [{ side: 'buy', price: '3000', take_profit: -5 }, 'take_profit'],
      [{ side: 'buy', price: '3000', stop_loss: 3100 }, 'stop_loss'],
      [{ side: 'sell', price: '3000', take_profit: 3100 }, 'take_profit'],
      [{ side: 'buy', price: '3000', trailing_stop: '0%' }, 'trailing_stop'],
      [{ side: 'buy', price: '3000', exit_after: 0 }, 'exit_after'],
      [{ side: 'PRICE' }, 'price'],
    ];
    for (const [fields, path] of cases) {
      const reply = await send(s, fields);
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
      expect(reply.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const alerts = await api.db.sql.query(`select 1 from alerts where strategy_id = ?`, [s.id]);
    expect(alerts).toHaveLength(0);
    const bad = await gql(
      api.url,
      'mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { id } }',
      { id: s.id, p: { exitDefaults: { stopLoss: '2450' } } },
      trader.accessToken,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors)).toContain('exitDefaults.stopLoss');
  });

  it('a PRICE alert is recorded (202, a resend 200 duplicate) and never becomes an order', async () => {
    const s = await strategy({ symbol: 'ONGC', qty: 1 });
    const key = uniqueKey();
    const first = await postAlert(api.url, { secret: s.secret, idempotency_key: key, side: 'price', price: '250.5' });
    expect(first).toMatchObject({ status: 202, body: { status: 'accepted' } });
    const again = await postAlert(api.url, { secret: s.secret, idempotency_key: key, side: 'PRICE', price: '250.5' });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', alert_id: first.body.alert_id } });
    // Another symbol's price would move the wrong plans: refused, not recorded
    const other = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'PRICE',
      symbol: 'NSE:TCS',
      price: '4000',
    });
    expect(other).toMatchObject({ status: 422, body: { reason: 'symbol_mismatch' } });
    const named = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'PRICE',
      symbol: 'NSE:ONGC',
      price: '251',
    });
    expect(named).toMatchObject({ status: 202 });
    const rows = await api.db.sql.query<{ status: string }>(`select status from alerts where strategy_id = ?`, [s.id]);
    expect(rows).toEqual([{ status: 'PROCESSED' }, { status: 'PROCESSED' }]);
    expect(await api.db.sql.query(`select 1 from executions where strategy_id = ?`, [s.id])).toHaveLength(0);
  });
});

describe('exit plans across a restart', () => {
  it('a plan made by one api is resumed from the table by the next; the crossing price sends one exit', async () => {
    let api: TestApi = await startTestApi(ENV);
    const dbName = api.dbName;
    try {
      const trader = await register(api.url, 'restart-exits@example.com');
      const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', qty: 2 });
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'buy',
        price: '2500',
        stop_loss: '2450',
      });
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      await waitFor(async () => (await plansOf(api, s.id))[0]?.status === 'ACTIVE', 8000, 'an active plan');
      await api.stop();
      api = await startApiOn(dbName, ENV);
      // The same crossing delivered twice (a TradingView resend has the same key; here two bars) makes one exit
      const key = uniqueKey();
      await postAlert(api.url, { secret: s.secret, idempotency_key: key, side: 'PRICE', price: '2440' });
      await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), side: 'PRICE', price: '2430' });
      await waitFor(
        async () => {
          const exits = await exitExecutions(api, s.id);
          return exits.length === 1 && exits[0].status === 'FILLED';
        },
        8000,
        'one filled exit',
      );
      // (2440 - 2500) x 2 = -120
      expect(num((await trips(api, s.id))[0].gross_pnl)).toBe(-120);
      expect(await exitExecutions(api, s.id)).toHaveLength(1);
    } finally {
      await api.stop().catch(() => undefined);
      await dropDatabase(dbName);
    }
  });

  it('an entry whose plan a crash never made gets it at the next start; its stop then fires once', async () => {
    let api: TestApi = await startTestApi(ENV);
    const dbName = api.dbName;
    try {
      const trader = await register(api.url, 'crash-exits@example.com');
      const s = await createAndDeploy(api.url, trader.accessToken, {
        symbol: 'INFY',
        qty: 3,
        exitDefaults: { takeProfit: '5%' },
      });
      // The crash window: this process stops hearing fills, so the entry fills and no plan is made
      await api.services.exitPlans.stop();
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'buy',
        price: '1500',
        stop_loss: '1480',
      });
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      expect(await plansOf(api, s.id)).toEqual([]);
      await api.stop();
      api = await startApiOn(dbName, ENV);
      // Made at start from the fill: the alert's stop and the strategy's default target
      const plan = await waitFor(async () => (await plansOf(api, s.id))[0], 8000, 'the late plan');
      expect(plan).toMatchObject({ status: 'ACTIVE', side: 'LONG', stop_origin: 'stop_loss' });
      expect([num(plan.entry_price), num(plan.stop_price), num(plan.take_profit_price)]).toEqual([1500, 1480, 1575]);
      // Idempotent: another sweep makes no second plan
      expect(await api.services.exitPlans.catchUp()).toBe(0);
      await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), side: 'PRICE', price: '1479' });
      await waitFor(
        async () => {
          const exits = await exitExecutions(api, s.id);
          return exits.length === 1 && exits[0].status === 'FILLED';
        },
        8000,
        'one filled exit',
      );
      // (1479 - 1500) x 3 = -63
      expect(num((await trips(api, s.id))[0].gross_pnl)).toBe(-63);
      // The position is flat and its life over: nothing more is planned for the old entry
      await waitFor(async () => (await plansOf(api, s.id))[0].status === 'ENDED', 8000, 'the plan to end');
      expect(await api.services.exitPlans.catchUp()).toBe(0);
      expect(await plansOf(api, s.id)).toHaveLength(1);
    } finally {
      await api.stop().catch(() => undefined);
      await dropDatabase(dbName);
    }
  });

  it('no late plan for an entry whose position closed since (even if reopened without exits)', async () => {
    let api: TestApi = await startTestApi(ENV);
    const dbName = api.dbName;
    try {
      const trader = await register(api.url, 'crash-exits-closed@example.com');
      const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TITAN', qty: 1 });
      const order = async (fields: Record<string, unknown>) => {
        const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), ...fields });
        await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
      };
      await api.services.exitPlans.stop();
      // The entry's plan is lost; the position then closes and opens again with an entry that asks for no exits
      await order({ side: 'buy', price: '3000', stop_loss: '2950' });
      await order({ side: 'EXIT', price: '3010' });
      await order({ side: 'buy', price: '3020' });
      await api.stop();
      api = await startApiOn(dbName, ENV);
      expect(await api.services.exitPlans.catchUp()).toBe(0);
      expect(await plansOf(api, s.id)).toEqual([]);
    } finally {
      await api.stop().catch(() => undefined);
      await dropDatabase(dbName);
    }
  });
});
