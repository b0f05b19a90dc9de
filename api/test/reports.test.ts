import path from 'node:path';
import { BrokerAccount } from '../src/modules/brokers/broker-account.entity';
import { maskClientId } from '../src/shared/crypto';
import { BACKFILL_ROUND_TRIPS } from '../src/db/migrations/Migration20261201151743';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

const SCRIPTED = path.resolve(__dirname, 'fixtures/scripted-broker.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scripted = require(SCRIPTED) as { state: { script: Array<{ at: Date; fee: string; parts?: string[] }> } };

// An IST wall-clock time as a UTC instant (IST = UTC+05:30, no daylight saving)
const ist = (local: string) => new Date(`${local}:00+05:30`);

const REPORT_FIELDS = `totalTrades wins losses winRate totalPnl avgPnl grossPnl charges expectancy avgWin avgLoss largestWin largestLoss
  profitFactor maxDrawdown longestLosingStreak sharpe daily { date pnl trades } equityCurve { at equity drawdown }
  exposure { symbol trades netPnl turnover maxQty }`;

describe('report: KPIs of a known trade list, played through the pipeline on fixed IST days', () => {
  let api: TestApi;
  let trader: Session;
  let infy: Deployed;
  let tcs: Deployed;
  let wipro: Deployed;

  const report = async (
    filter: Record<string, unknown> | undefined,
    token = trader.accessToken,
    fields = REPORT_FIELDS,
  ) => {
    const res = await gql(
      api.url,
      `query($f: ReportFilter) { report(filter: $f) { ${fields} } }`,
      { f: filter },
      token,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.report;
  };

  // One alert, its fill scripted at an IST time with the given charges; waits until it is FILLED
  const trade = async (
    s: Deployed,
    side: string,
    qty: number | undefined,
    price: number,
    at: string,
    fee: string,
    parts?: string[],
  ) => {
    scripted.state.script.push({ at: ist(at), fee, parts });
    const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), side, qty, price });
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED']);
  };

  beforeAll(async () => {
    api = await startTestApi({ BROKER_PLUGINS: SCRIPTED });
    trader = await register(api.url, 'reports@example.com');
    const em = api.db.orm.em.fork();
    em.create(BrokerAccount, {
      user: trader.user.id,
      broker: 'scripted',
      clientIdEnc: api.services.box.encrypt('C-2002'),
      clientIdMasked: maskClientId('C-2002'),
      accessTokenEnc: api.services.box.encrypt('token-xyz'),
      connectedAt: new Date(),
    } as never);
    await em.flush();
    // REDUCE_ONLY first, so an opposite signal can close part of the position
    infy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Momentum INFY',
      symbol: 'INFY',
      mode: 'LIVE',
      broker: 'scripted',
      alertsPerMinute: 1000,
      oppositeSignalPolicy: 'REDUCE_ONLY',
    });
    tcs = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Mean reversion TCS',
      symbol: 'TCS',
      mode: 'LIVE',
      broker: 'scripted',
      alertsPerMinute: 1000,
    });

    // INFY, Monday 2026-03-02 (IST). Trip 1: long 10 @ 100, a partial close of 4 @ 110, the rest 6 @ 95.
    await trade(infy, 'BUY', 10, 100, '2026-03-02T09:30', '10');
    await trade(infy, 'SELL', 4, 110, '2026-03-02T10:00', '5');
    await trade(infy, 'SELL', 6, 95, '2026-03-02T11:00', '5');
    // Trip 2: short 5 @ 200; with the REVERSE policy a BUY 3 reverses it (an order of 8), filled in two fills of 4 @ 190
    // with 8 + 8 charges: the second fill closes the last 1 and opens long 3, which takes 8 x 3/4 = 6 of its charges.
    await trade(infy, 'SELL', 5, 200, '2026-03-02T12:00', '10');
    const patched = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { oppositeSignalPolicy: REVERSE }) { id } }',
      { id: infy.id },
      trader.accessToken,
    );
    expect(patched.errors).toBeUndefined();
    const reversal = await trade(infy, 'BUY', 3, 190, '2026-03-02T13:00', '16', ['4', '4']);
    expect(reversal).toMatchObject({ qty: '8', filledQty: '8', status: 'FILLED' });
    // Trip 3: long 3 @ 190, closed by an EXIT at 200, ten minutes before midnight IST
    await trade(infy, 'EXIT', undefined, 200, '2026-03-02T23:50', '4');
    // TCS trip 4 opens at 23:40 IST Monday and closes at 00:10 IST Tuesday: the same UTC day (18:10 and 18:40 UTC)
    await trade(tcs, 'BUY', 2, 1000, '2026-03-02T23:40', '10');
    await trade(tcs, 'EXIT', undefined, 985, '2026-03-03T00:10', '10');
    // Trip 5: short 1 @ 1000, covered at 940
    await trade(tcs, 'SELL', 1, 1000, '2026-03-03T10:00', '5');
    await trade(tcs, 'EXIT', undefined, 940, '2026-03-03T10:30', '5');
    // Still open at the end: not a round trip yet
    await trade(infy, 'BUY', 1, 100, '2026-03-03T11:00', '1');

    // WIPRO, Thursday 2026-03-05: three losing trips (-5 - 10 = -15, -10 - 15 = -25, 0 - 5 = -5); Friday: one win (+40 - 10)
    wipro = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Breakout WIPRO',
      symbol: 'WIPRO',
      mode: 'LIVE',
      broker: 'scripted',
      alertsPerMinute: 1000,
    });
    await trade(wipro, 'BUY', 1, 500, '2026-03-05T09:20', '5');
    await trade(wipro, 'EXIT', undefined, 495, '2026-03-05T09:40', '5');
    await trade(wipro, 'SELL', 2, 500, '2026-03-05T10:00', '5');
    await trade(wipro, 'EXIT', undefined, 505, '2026-03-05T10:30', '10');
    await trade(wipro, 'BUY', 1, 500, '2026-03-05T11:00', '2');
    await trade(wipro, 'EXIT', undefined, 500, '2026-03-05T11:30', '3');
    await trade(wipro, 'BUY', 2, 500, '2026-03-06T10:00', '4');
    await trade(wipro, 'EXIT', undefined, 520, '2026-03-06T14:00', '6');
  }, 90_000);
  afterAll(async () => {
    await api.close();
  });

  it('should compute every KPI as worked out by hand', async () => {
    // Trip net P&L (gross - charges): 1: (+40 -30) - 20 = -10; 2: +50 - 20 = +30; 3: +30 - 10 = +20;
    // 4: -30 - 20 = -50; 5: +60 - 10 = +50. Equity after each: -10, 20, 40, -10, 40; peak (from 0): 0, 20, 40, 40, 40.
    const r = await report({ from: '2026-03-02', to: '2026-03-04' });
    expect(r).toMatchObject({
      totalTrades: 5,
      wins: 3,
      losses: 2,
      winRate: 0.6,
      totalPnl: '40',
      avgPnl: '8',
      grossPnl: '120',
      charges: '80',
      expectancy: '8',
      avgWin: '33.33',
      avgLoss: '-30',
      largestWin: '50',
      largestLoss: '-50',
      profitFactor: 1.6667, // 100 / 60
      maxDrawdown: '50', // 40 -> -10
      longestLosingStreak: 1,
      // Days Mon 40, Tue 0 (-50 + 50), Wed 0 (no trade): mean 40/3, sample sd sqrt(4800/9): 1/sqrt(3) x sqrt(252) = sqrt(84)
      sharpe: 9.1652,
    });
    expect(r.daily).toEqual([
      { date: '2026-03-02', pnl: '40', trades: 3 },
      { date: '2026-03-03', pnl: '0', trades: 2 },
      { date: '2026-03-04', pnl: '0', trades: 0 },
    ]);
    expect(r.equityCurve).toEqual([
      { at: ist('2026-03-02T11:00').toISOString(), equity: '-10', drawdown: '10' },
      { at: new Date(ist('2026-03-02T13:00').getTime() + 1).toISOString(), equity: '20', drawdown: '0' }, // the second fill, 1 ms later
      { at: ist('2026-03-02T23:50').toISOString(), equity: '40', drawdown: '0' },
      { at: ist('2026-03-03T00:10').toISOString(), equity: '-10', drawdown: '50' },
      { at: ist('2026-03-03T10:30').toISOString(), equity: '40', drawdown: '0' },
    ]);
    // Turnover: INFY 2010 + 1950 + 1170; TCS 3970 + 1940
    expect(r.exposure).toEqual([
      { symbol: 'TCS', trades: 2, netPnl: '0', turnover: '5910', maxQty: '2' },
      { symbol: 'INFY', trades: 3, netPnl: '40', turnover: '5130', maxQty: '10' },
    ]);
  });

  it('should count only Monday to Friday as zero days, and IST days split at IST midnight', async () => {
    const week = await report(
      { from: '2026-03-02', to: '2026-03-08', strategyId: infy.id },
      undefined,
      'sharpe daily { date pnl trades }',
    );
    expect(week.daily.map((d: { date: string }) => d.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    expect(week.sharpe).toBe(7.0993); // [40, 0, 0, 0, 0]: 1/sqrt(5) x sqrt(252) = sqrt(50.4)
    // Tuesday alone holds trips 4 and 5 (trip 4 closed at 00:10 IST, still Monday in UTC)
    const tuesday = await report({ from: '2026-03-03', to: '2026-03-03' });
    expect(tuesday).toMatchObject({
      totalTrades: 2,
      totalPnl: '0',
      maxDrawdown: '50',
      sharpe: null,
      daily: [{ date: '2026-03-03', pnl: '0', trades: 2 }],
    });
  });

  it('should filter by strategy, symbol and mode', async () => {
    expect(await report({ strategyId: infy.id }, undefined, 'totalTrades totalPnl')).toEqual({
      totalTrades: 3,
      totalPnl: '40',
    });
    expect(await report({ symbol: 'tcs' }, undefined, 'totalTrades totalPnl')).toEqual({
      totalTrades: 2,
      totalPnl: '0',
    });
    expect(await report({ mode: 'LIVE', from: '2026-03-02', to: '2026-03-03' }, undefined, 'totalTrades')).toEqual({
      totalTrades: 5,
    });
    expect(await report({ mode: 'LIVE' }, undefined, 'totalTrades')).toEqual({ totalTrades: 9 });
    expect(await report({ mode: 'PAPER' }, undefined, 'totalTrades totalPnl winRate')).toEqual({
      totalTrades: 0,
      totalPnl: '0',
      winRate: null,
    });
  });

  it('should list the trips a report counts, newest first, a page at a time (roundTrips)', async () => {
    const trips = (variables: Record<string, unknown>, token = trader.accessToken) =>
      gql(
        api.url,
        `query($f: ReportFilter, $first: Int, $after: String) { roundTrips(filter: $f, first: $first, after: $after) {
        edges { cursor node { strategyId symbol mode side qty entryPrice exitPrice maxQty grossPnl charges netPnl fills openedAt closedAt } }
        pageInfo { hasNextPage endCursor } } }`,
        variables,
        token,
      );
    const first = (await trips({ f: { from: '2026-03-02', to: '2026-03-03' }, first: 2 })).data!.roundTrips;
    // Trip 5 (TCS short 1 @ 1000 covered at 940), then trip 4 (TCS long 2 @ 1000 out at 985, over IST midnight)
    expect(first.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        strategyId: tcs.id,
        symbol: 'TCS',
        mode: 'LIVE',
        side: 'SHORT',
        qty: '1',
        entryPrice: '1000',
        exitPrice: '940',
        maxQty: '1',
        grossPnl: '60',
        charges: '10',
        netPnl: '50',
        fills: 2,
        openedAt: ist('2026-03-03T10:00').toISOString(),
        closedAt: ist('2026-03-03T10:30').toISOString(),
      },
      {
        strategyId: tcs.id,
        symbol: 'TCS',
        mode: 'LIVE',
        side: 'LONG',
        qty: '2',
        entryPrice: '1000',
        exitPrice: '985',
        maxQty: '2',
        grossPnl: '-30',
        charges: '20',
        netPnl: '-50',
        fills: 2,
        openedAt: ist('2026-03-02T23:40').toISOString(),
        closedAt: ist('2026-03-03T00:10').toISOString(),
      },
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (
      await trips({ f: { from: '2026-03-02', to: '2026-03-03' }, first: 10, after: first.pageInfo.endCursor })
    ).data!.roundTrips;
    // Trips 3, 2, 1: with the first page they add up to the report's 40
    expect(rest.edges.map((e: { node: { netPnl: string } }) => e.node.netPnl)).toEqual(['20', '30', '-10']);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges[2].cursor });
    // The report's filters, and only the caller's trips
    expect((await trips({ f: { symbol: 'wipro' }, first: 50 })).data!.roundTrips.edges).toHaveLength(4);
    const other = await register(api.url, 'round-trips-other@example.com');
    expect((await trips({ f: { strategyId: infy.id } }, other.accessToken)).data!.roundTrips.edges).toEqual([]);
    // Bad input changes nothing and says what is wrong
    for (const variables of [
      { first: 0 },
      { first: 201 },
      { after: 'bm90LWEtY3Vyc29y' },
      { f: { from: '2026-02-30' } },
    ]) {
      expect(errorCode(await trips(variables))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await trips({}, ''))).toBe('UNAUTHENTICATED'); // no token
  });

  it("should agree to the paisa with the executions' pnl: closed trips plus the open trip", async () => {
    const res = await gql(
      api.url,
      '{ executions(first: 200) { edges { node { strategyId pnl } } } }',
      undefined,
      trader.accessToken,
    );
    const pnlOf = (id: string) =>
      res
        .data!.executions.edges.filter((e: { node: { strategyId: string } }) => e.node.strategyId === id)
        .reduce((sum: number, e: { node: { pnl: string } }) => sum + Math.round(Number(e.node.pnl) * 10000), 0) / 10000;
    // INFY: its trips (40) and the open long 1 (its entry charge, -1); TCS is flat: its trips alone
    expect(pnlOf(infy.id)).toBe(39);
    expect((await report({ strategyId: infy.id }, undefined, 'totalPnl')).totalPnl).toBe('40');
    expect(pnlOf(tcs.id)).toBe(0);
    expect(pnlOf(wipro.id)).toBe(-15);
    expect((await report({ strategyId: wipro.id }, undefined, 'totalPnl')).totalPnl).toBe('-15');
  });

  it('should report all losses: no profit factor, the drawdown of the whole fall, the streak', async () => {
    const r = await report({ strategyId: wipro.id, from: '2026-03-05', to: '2026-03-05' });
    expect(r).toMatchObject({
      totalTrades: 3,
      wins: 0,
      losses: 3,
      winRate: 0,
      totalPnl: '-45',
      avgPnl: '-15',
      grossPnl: '-15',
      charges: '30',
      avgWin: null,
      avgLoss: '-15',
      largestWin: null,
      largestLoss: '-25',
      profitFactor: null,
      maxDrawdown: '45', // 0 -> -15 -> -40 -> -45
      longestLosingStreak: 3,
      sharpe: null,
      daily: [{ date: '2026-03-05', pnl: '-45', trades: 3 }],
    });
    expect(r.equityCurve.map((p: { equity: string; drawdown: string }) => [p.equity, p.drawdown])).toEqual([
      ['-15', '15'],
      ['-40', '40'],
      ['-45', '45'],
    ]);
  });

  it('should report nothing for an empty range, and one trip alone', async () => {
    const empty = await report({ from: '2026-04-06', to: '2026-04-07' });
    expect(empty).toMatchObject({
      totalTrades: 0,
      wins: 0,
      losses: 0,
      winRate: null,
      totalPnl: '0',
      avgPnl: null,
      profitFactor: null,
      maxDrawdown: '0',
      sharpe: null,
      longestLosingStreak: 0,
      equityCurve: [],
      exposure: [],
      daily: [
        { date: '2026-04-06', pnl: '0', trades: 0 },
        { date: '2026-04-07', pnl: '0', trades: 0 },
      ],
    });
    const one = await report({ from: '2026-03-06', to: '2026-03-06' });
    expect(one).toMatchObject({
      totalTrades: 1,
      wins: 1,
      losses: 0,
      winRate: 1,
      totalPnl: '30',
      avgPnl: '30',
      grossPnl: '40',
      charges: '10',
      largestWin: '30',
      largestLoss: null,
      profitFactor: null,
      maxDrawdown: '0',
      longestLosingStreak: 0,
      sharpe: null,
      daily: [{ date: '2026-03-06', pnl: '30', trades: 1 }],
      equityCurve: [{ at: ist('2026-03-06T14:00').toISOString(), equity: '30', drawdown: '0' }],
      exposure: [{ symbol: 'WIPRO', trades: 1, netPnl: '30', turnover: '2040', maxQty: '2' }],
    });
  });

  it('should refuse a bad filter as BAD_USER_INPUT and require a user', async () => {
    const bad = [
      { from: '2026-02-30' },
      { to: '03/03/2026' },
      { from: '2026-03-05', to: '2026-03-01' },
      { strategyId: 'nope' },
      { from: '2000-01-03', to: '2026-03-01' },
    ];
    for (const f of bad) {
      const res = await gql(
        api.url,
        'query($f: ReportFilter) { report(filter: $f) { totalTrades } }',
        { f },
        trader.accessToken,
      );
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    }
    const anonymous = await gql(api.url, '{ report { totalTrades } }');
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });

  it("should show a user only their own trips, and an admin everyone's", async () => {
    const other = await register(api.url, 'reports-other@example.com');
    expect(await report(undefined, other.accessToken, 'totalTrades')).toEqual({ totalTrades: 0 });
    expect(await report({ strategyId: infy.id }, other.accessToken, 'totalTrades')).toEqual({ totalTrades: 0 });
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    expect(await report({ from: '2026-03-02', to: '2026-03-03' }, admin.accessToken, 'totalTrades totalPnl')).toEqual({
      totalTrades: 5,
      totalPnl: '40',
    });
  });

  // Past 1,000 trips the curve has a point per IST day; drawdown and streak still come from every trip. Trips
  // written straight into round_trips (a thousand through the pipeline would take minutes).
  it('should give a per-day equity curve past 1,000 trips, with the drawdown of every trip in maxDrawdown', async () => {
    const many = await register(api.url, 'reports-many@example.com');
    const s = await createAndDeploy(api.url, many.accessToken, { name: 'Scalper', symbol: 'SBIN' });
    const [position] = await api.db.sql.query<{ id: string }>(
      `insert into positions (id, strategy_id, symbol, mode) values (gen_random_uuid(), ?, 'SBIN', 'PAPER') returning id`,
      [s.id],
    );
    // Monday 2026-04-13: 300 trips of +2 from 10:00 IST, then 300 of -1; Tuesday: 401 of -1
    await api.db.sql.query(
      `insert into round_trips (id, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty,
        turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
      select gen_random_uuid(), ?, ?, ?, 'SBIN', 'PAPER', 'LONG', 1, 100, 100, 1, 200, x.pnl + 1, 1, x.pnl, x.at, x.at, 2, gen_random_uuid()
      from (select case when i <= 300 then 2 else -1 end as pnl,
              case when i <= 600 then timestamptz '2026-04-13 10:00+05:30' else timestamptz '2026-04-14 10:00+05:30' end + i * interval '1 second' as at
            from generate_series(1, 1001) i) x`,
      [position.id, s.id, many.user.id],
    );
    const r = await report(
      undefined,
      many.accessToken,
      'totalTrades totalPnl maxDrawdown longestLosingStreak equityCurve { at equity drawdown }',
    );
    expect(r).toEqual({
      totalTrades: 1001,
      totalPnl: '-101',
      maxDrawdown: '701',
      longestLosingStreak: 701, // from the peak of 600 after trip 300
      equityCurve: [
        { at: new Date(Date.parse('2026-04-13T10:00:00+05:30') + 600_000).toISOString(), equity: '300', drawdown: '0' },
        {
          at: new Date(Date.parse('2026-04-14T10:00:00+05:30') + 1_001_000).toISOString(),
          equity: '-101',
          drawdown: '401',
        },
      ],
    });
  });

  // The migration rebuilds the trips of fills stored before trips were kept: replayed, they must be the trips the
  // fill path wrote (the reversal in two fills, partial closes, EXITs, the open trip)
  it("should rebuild the same round trips from stored fills (the migration's backfill)", async () => {
    const snapshot = async () => ({
      trips: await api.db.sql.query(
        `select position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty, turnover,
        gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id from round_trips where user_id = ? order by closed_at`,
        [trader.user.id],
      ),
      open: await api.db.sql.query<{ id: string; open_trip: unknown }>(
        'select p.id, p.open_trip from positions p join strategies s on s.id = p.strategy_id where s.user_id = ? order by p.id',
        [trader.user.id],
      ),
    });
    const written = await snapshot();
    expect(written.trips).toHaveLength(9);
    expect(written.open.filter((p) => p.open_trip)).toHaveLength(1);
    await api.db.sql.query('delete from round_trips where user_id = ?', [trader.user.id]);
    await api.db.sql.query(
      'update positions p set open_trip = null from strategies s where s.id = p.strategy_id and s.user_id = ?',
      [trader.user.id],
    );
    await api.db.sql.query(BACKFILL_ROUND_TRIPS);
    expect(await snapshot()).toEqual(written);
  });
});
