import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

describe('positions, reversals, exits and risk at execution time', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0' });
    trader = await register(api.url, 'positions@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  // Waits for the order to settle: filled or rejected, or resting at the broker for LIMIT orders
  const send = async (
    s: Deployed,
    side: string,
    qty: number | undefined,
    price: number,
    extra: Record<string, unknown> = {},
  ) => {
    const reply = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side,
      qty,
      price,
      ...extra,
    });
    expect(reply.status).toBe(202);
    return waitForStatus(
      api.url,
      trader.accessToken,
      reply.body.alert_id,
      extra.order_type === 'LIMIT' ? ['FILLED', 'REJECTED', 'PLACED'] : ['FILLED', 'REJECTED'],
    );
  };
  const position = async (strategyId: string) => {
    const res = await gql(
      api.url,
      '{ positions { strategyId qty avgPrice realizedPnl } }',
      undefined,
      trader.accessToken,
    );
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === strategyId);
  };

  it('should reverse a long into a short of the alert quantity on an opposite signal (REVERSE)', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    await send(s, 'BUY', 10, 100);
    const flip = await send(s, 'SELL', 4, 110);
    expect(flip).toMatchObject({ side: 'SELL', qty: '14', status: 'FILLED' });
    const p = await position(s.id);
    expect(p.qty).toBe('-4');
    expect(p.avgPrice).toBe('110');
    // gross +100 on the closed 10, less both fills' charges
    expect(Number(p.realizedPnl)).toBeGreaterThan(98);
    expect(Number(p.realizedPnl)).toBeLessThan(100);
  });

  it('should only reduce on an opposite signal with REDUCE_ONLY, and EXIT should flatten', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'TCS',
      oppositeSignalPolicy: 'REDUCE_ONLY',
    });
    await send(s, 'BUY', 5, 4000);
    const reduce = await send(s, 'SELL', 8, 4010);
    expect(reduce).toMatchObject({ side: 'SELL', qty: '5', status: 'FILLED' });
    expect((await position(s.id)).qty).toBe('0');
    const exit = await send(s, 'EXIT', undefined, 4010);
    expect(exit).toMatchObject({ status: 'REJECTED', rejectReason: 'no_position' });

    await send(s, 'SELL', 3, 4020);
    const flat = await send(s, 'EXIT', undefined, 4000);
    expect(flat).toMatchObject({ side: 'EXIT', qty: '3', status: 'FILLED' });
    expect((await position(s.id)).qty).toBe('0');
  });

  it('should apply a fill to the position as it is now when another process wrote it meanwhile', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'HCLTECH' });
    await send(s, 'BUY', 10, 200);
    // Another api process fills the same position: the row moves on, and so does its revision
    await api.db.sql.query('update positions set qty = qty + 5, revision = revision + 1 where strategy_id = ?', [s.id]);
    await send(s, 'BUY', 2, 200);
    expect((await position(s.id)).qty).toBe('17');
    // Again before an EXIT: its planned quantity (the whole position) must reach the fill on the locked path too
    await api.db.sql.query('update positions set qty = qty + 1, revision = revision + 1 where strategy_id = ?', [s.id]);
    const exit = await send(s, 'EXIT', undefined, 210);
    expect(exit).toMatchObject({ side: 'EXIT', qty: '18', filledQty: '18', status: 'FILLED' });
    expect(await position(s.id)).toMatchObject({ qty: '0', avgPrice: '0' });
  });

  it('should refuse an order that would break the maximum open position', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'ITC', maxOpenPosition: 10 });
    await send(s, 'BUY', 8, 450);
    const over = await send(s, 'BUY', 5, 451);
    expect(over).toMatchObject({ status: 'REJECTED', rejectReason: 'risk_limit' });
    expect((await position(s.id)).qty).toBe('8');
  });

  // Alerts of one position that arrive together are decided one after another, each against the position the
  // one before it left: otherwise each sees the same position and the limit, the side rule or EXIT is broken
  it('should hold the risk rules when alerts of one position arrive at the same moment', async () => {
    const sendAll = (s: Deployed, alerts: Array<Record<string, unknown>>) =>
      Promise.all(
        alerts.map(async (a) => {
          const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), price: 300, ...a });
          expect(reply.status).toBe(202);
          return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED']);
        }),
      );
    const capped = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'WIPRO',
      maxOpenPosition: 10,
      alertsPerMinute: 1000,
    });
    const buys = await sendAll(capped, Array(6).fill({ side: 'BUY', qty: 10 }));
    expect(buys.filter((e) => e.status === 'FILLED')).toHaveLength(1);
    expect(buys.filter((e) => e.rejectReason === 'risk_limit')).toHaveLength(5);
    expect((await position(capped.id)).qty).toBe('10');

    const exits = await sendAll(capped, Array(4).fill({ side: 'EXIT' }));
    expect(exits.filter((e) => e.status === 'FILLED')).toHaveLength(1);
    expect(exits.filter((e) => e.rejectReason === 'no_position')).toHaveLength(3);
    expect((await position(capped.id)).qty).toBe('0');

    const longOnly = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'BPCL',
      allowedSides: 'LONG_ONLY',
      alertsPerMinute: 1000,
    });
    await send(longOnly, 'BUY', 5, 300);
    await sendAll(longOnly, Array(4).fill({ side: 'SELL', qty: 5 }));
    expect((await position(longOnly.id)).qty).toBe('0');
  });

  it('should disable the strategy when the daily loss limit is reached', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN', maxDailyLoss: 500 });
    await send(s, 'BUY', 100, 800);
    await send(s, 'EXIT', undefined, 790); // -1000 gross
    const strategy = await waitFor(
      async () => {
        const res = await gql(
          api.url,
          'query($id: ID!) { strategy(id: $id) { enabled disabledReason } }',
          { id: s.id },
          trader.accessToken,
        );
        return res.data!.strategy.enabled === false ? res.data!.strategy : undefined;
      },
      5000,
      'strategy disabled',
    );
    expect(strategy.disabledReason).toBe('max_daily_loss');
    const next = await postAlert(api.url, {
      secret: s.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 790,
    });
    expect(next).toMatchObject({ status: 422, body: { reason: 'strategy_disabled' } });
  });

  it('should rest a LIMIT order, fill it when a later alert crosses it, and cancel resting orders on the kill switch', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'HDFCBANK' });
    const resting = await send(s, 'BUY', 2, 1600, { order_type: 'LIMIT', price: 1590 });
    expect(resting.status).toBe('PLACED');
    // A later MARKET alert on the symbol is market data too: 1585 crosses the 1590 bid
    await send(s, 'SELL', 1, 1585);
    await waitForStatus(api.url, trader.accessToken, resting.alertId, ['FILLED']);

    const second = await send(s, 'BUY', 1, 1500, { order_type: 'LIMIT', price: 1500 });
    expect(second.status).toBe('PLACED');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin.accessToken);
    try {
      const cancelled = await waitForStatus(api.url, trader.accessToken, second.alertId, ['CANCELLED']);
      expect(cancelled.status).toBe('CANCELLED');
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin.accessToken);
    }
  });

  it('should expire an open DAY limit order at the session end and cancel its execution', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'WIPRO' });
    const resting = await send(s, 'BUY', 3, 300, { order_type: 'LIMIT', price: 250 });
    expect(resting.status).toBe('PLACED');
    // A clock a day behind: that session has not ended, so nothing expires whatever the time of this run
    expect(await api.services.sessionEnds.expireDayOrders(Date.now() - 86_400_000)).toBe(0);
    const tomorrow = Date.now() + 36 * 3600_000;
    expect(await api.services.sessionEnds.expireDayOrders(tomorrow)).toBeGreaterThanOrEqual(1);
    await waitForStatus(api.url, trader.accessToken, resting.alertId, ['CANCELLED']);
  });

  it('should page executions with cursors and filter them', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    for (let i = 0; i < 5; i += 1) await send(s, i % 2 ? 'SELL' : 'BUY', 1, 2500 + i);
    const page1 = await gql(
      api.url,
      'query($s: ID) { executions(filter: { strategyId: $s }, first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } }',
      { s: s.id },
      trader.accessToken,
    );
    const c1 = page1.data!.executions;
    expect(c1.totalCount).toBe(5);
    expect(c1.edges).toHaveLength(2);
    expect(c1.pageInfo.hasNextPage).toBe(true);
    const seen = new Set(c1.edges.map((e: { node: { id: string } }) => e.node.id));
    let after = c1.pageInfo.endCursor;
    for (;;) {
      const next = await gql(
        api.url,
        'query($s: ID, $a: String) { executions(filter: { strategyId: $s }, first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { s: s.id, a: after },
        trader.accessToken,
      );
      for (const e of next.data!.executions.edges) seen.add(e.node.id);
      if (!next.data!.executions.pageInfo.hasNextPage) break;
      after = next.data!.executions.pageInfo.endCursor;
    }
    expect(seen.size).toBe(5);
    const sells = await gql(
      api.url,
      'query($s: ID) { executions(filter: { strategyId: $s, symbol: "reliance", status: FILLED, mode: PAPER }) { totalCount edges { node { side } } } }',
      { s: s.id },
      trader.accessToken,
    );
    expect(sells.data!.executions.totalCount).toBe(5);
    const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
    const dated = await gql(
      api.url,
      'query($s: ID, $d: String) { executions(filter: { strategyId: $s, from: $d, to: $d }) { totalCount } }',
      { s: s.id, d: today },
      trader.accessToken,
    );
    expect(dated.data!.executions.totalCount).toBe(5);
    const bad = await gql(api.url, '{ executions(after: "garbage") { totalCount } }', undefined, trader.accessToken);
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    // A day that does not exist is refused, not rolled over into the next month
    for (const day of ['2026-02-30', '2026-13-01']) {
      const unreal = await gql(
        api.url,
        'query($d: String) { executions(filter: { from: $d }) { totalCount } }',
        { d: day },
        trader.accessToken,
      );
      expect(unreal.errors![0].extensions!.details).toEqual([
        { path: 'from', message: 'from must be a real calendar date' },
      ]);
    }
  });

  it('should square off open intraday paper positions at the scheduled time, once', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'BHARTIARTL', productType: 'INTRADAY' });
    await send(s, 'BUY', 7, 1200);
    expect(await api.services.squareOff.run(['NSE_EQ'], '15:15')).toBeGreaterThanOrEqual(1);
    expect((await position(s.id)).qty).toBe('0');
    expect(await api.services.squareOff.run(['NSE_EQ'], '15:15')).toBe(0);
    const list = await gql(
      api.url,
      'query($s: ID) { executions(filter: { strategyId: $s }) { edges { node { side qty status source } } } }',
      { s: s.id },
      trader.accessToken,
    );
    expect(list.data!.executions.edges[0].node).toEqual({
      side: 'EXIT',
      qty: '7',
      status: 'FILLED',
      source: 'square_off',
    });
  });
});
