import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

const TODAY = `{ todaySummary { date modes { mode realizedPnl charges unrealizedPnl openPositions executions filled rejected working }
  alertsPerMinute { at count } } }`;
const ACTIVITY = '{ strategyActivity { strategyId todayPnl todayExecutions lastSignalAt } }';
const POSITIONS = '{ positions { strategyId symbol qty avgPrice lastPrice markPrice markedAt unrealizedPnl } }';

describe('today at a glance, strategy activity and positions at the latest known price', () => {
  let api: TestApi;
  let trader: Session;
  let other: Session;
  let admin: string;
  let main: Deployed;
  let second: Deployed;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'glance@example.com');
    other = await register(api.url, 'glance-other@example.com');
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    main = await createAndDeploy(api.url, trader.accessToken, { name: 'Main', symbol: 'INFY', maxQtyPerOrder: '20' });
    second = await createAndDeploy(api.url, trader.accessToken, { name: 'Second', symbol: 'INFY' });
  });
  afterAll(async () => {
    await api.close();
  });

  const send = async (
    s: Deployed,
    token: string,
    alert: Record<string, unknown>,
    statuses = ['FILLED', 'REJECTED'],
  ) => {
    const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), ...alert });
    return waitForStatus(api.url, token, reply.body.alert_id, statuses);
  };
  const positionOf = async (token: string, strategyId: string) => {
    const res = await gql(api.url, POSITIONS, undefined, token);
    expect(res.errors).toBeUndefined();
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategyId);
  };

  it("should mark an open position at the newest price its owner's alerts brought, not at the last fill", async () => {
    await send(main, trader.accessToken, { side: 'BUY', qty: 10, price: 100 });
    const filled = await positionOf(trader.accessToken, main.id);
    expect(filled).toMatchObject({
      qty: '10',
      avgPrice: '100',
      lastPrice: '100',
      markPrice: '100',
      unrealizedPnl: '0',
    });

    // Refused at the door (above the 20 per order), but TradingView's {{close}} of 120 is still the newest price
    const refused = await postAlert(api.url, {
      secret: main.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 50,
      price: 120,
    });
    expect(refused).toMatchObject({ status: 422, body: { reason: 'risk_limit' } });
    const marked = await positionOf(trader.accessToken, main.id);
    expect(marked).toMatchObject({ qty: '10', lastPrice: '100', markPrice: '120', unrealizedPnl: '200' });
    expect(Date.now() - new Date(marked.markedAt).getTime()).toBeLessThan(60_000);

    // A LIMIT alert's price is the trader's level, not the market's: it does not mark
    await send(main, trader.accessToken, { side: 'BUY', qty: 1, order_type: 'LIMIT', price: 50 }, [
      'PLACED',
      'REJECTED',
    ]);
    expect((await positionOf(trader.accessToken, main.id)).markPrice).toBe('120');

    // Another of the trader's strategies on the same symbol sees a newer price: both positions use it
    await send(second, trader.accessToken, { side: 'SELL', qty: 2, price: 125 });
    expect(await positionOf(trader.accessToken, main.id)).toMatchObject({ markPrice: '125', unrealizedPnl: '250' });
    expect(await positionOf(trader.accessToken, second.id)).toMatchObject({
      qty: '-2',
      markPrice: '125',
      unrealizedPnl: '0',
    });

    // Another user's made-up price never moves this trader's P&L
    const foreign = await createAndDeploy(api.url, other.accessToken, { symbol: 'INFY' });
    await send(foreign, other.accessToken, { side: 'BUY', qty: 1, price: 999 });
    expect((await positionOf(trader.accessToken, main.id)).markPrice).toBe('125');
  });

  it('should sum today per mode, count alerts per minute, and leave other users out', async () => {
    const res = await gql(api.url, TODAY, undefined, trader.accessToken);
    expect(res.errors).toBeUndefined();
    const today = res.data!.todaySummary;
    expect(today.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const paper = today.modes.find((m: { mode: string }) => m.mode === 'PAPER');
    const live = today.modes.find((m: { mode: string }) => m.mode === 'LIVE');
    // BUY 10 filled, BUY 50 refused, LIMIT 1 resting, SELL 2 filled (on the second strategy)
    expect(paper).toMatchObject({ executions: 4, filled: 2, rejected: 1, working: 1, openPositions: 2 });
    // (125 - 100) x 10 on Main, (125 - 125) x -2 on Second
    expect(paper.unrealizedPnl).toBe('250');
    expect(Number(paper.charges)).toBeGreaterThan(0);
    // Opening fills realize only their charges
    expect(paper.realizedPnl).toBe(`-${paper.charges}`);
    expect(live).toEqual({
      mode: 'LIVE',
      realizedPnl: '0',
      charges: '0',
      unrealizedPnl: '0',
      openPositions: 0,
      executions: 0,
      filled: 0,
      rejected: 0,
      working: 0,
    });

    expect(today.alertsPerMinute).toHaveLength(60);
    expect(today.alertsPerMinute.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(4);
    const times = today.alertsPerMinute.map((m: { at: string }) => Date.parse(m.at));
    expect(times[59] - times[0]).toBe(59 * 60_000);
    expect(Date.now() - times[59]).toBeLessThan(60_000);

    const others = (await gql(api.url, TODAY, undefined, other.accessToken)).data!.todaySummary;
    expect(others.modes.find((m: { mode: string }) => m.mode === 'PAPER')).toMatchObject({
      executions: 1,
      filled: 1,
      openPositions: 1,
    });
  });

  it("should give each strategy today's P&L and its last TradingView alert, only to its owner and admins", async () => {
    const before = Date.now();
    await send(main, trader.accessToken, { side: 'SELL', qty: 10, price: 130 }, ['FILLED']);
    const mine = (await gql(api.url, ACTIVITY, undefined, trader.accessToken)).data!.strategyActivity;
    expect(mine.map((a: { strategyId: string }) => a.strategyId).sort()).toEqual([main.id, second.id].sort());
    const activity = mine.find((a: { strategyId: string }) => a.strategyId === main.id);
    expect(activity.todayExecutions).toBe(4);
    // +300 closing 10 at 130 against 100, less the charges of every fill today
    expect(Number(activity.todayPnl)).toBeGreaterThan(290);
    expect(Number(activity.todayPnl)).toBeLessThan(300);
    expect(new Date(activity.lastSignalAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const fresh = await createAndDeploy(api.url, trader.accessToken, { name: 'Quiet', symbol: 'TCS' });
    const quiet = (await gql(api.url, ACTIVITY, undefined, trader.accessToken)).data!.strategyActivity.find(
      (a: { strategyId: string }) => a.strategyId === fresh.id,
    );
    expect(quiet).toEqual({ strategyId: fresh.id, todayPnl: '0', todayExecutions: 0, lastSignalAt: null });

    expect((await gql(api.url, ACTIVITY, undefined, other.accessToken)).data!.strategyActivity).toHaveLength(1);
    expect((await gql(api.url, ACTIVITY, undefined, admin)).data!.strategyActivity.length).toBeGreaterThanOrEqual(4);
    expect((await gql(api.url, ACTIVITY)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});
