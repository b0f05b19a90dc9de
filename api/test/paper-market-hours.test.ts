import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Paper honours the exchange's session (issue 11, item 5), on a fixed clock: the api's paper calendar is told the time.
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+05:30`);

describe('paper orders and exchange sessions (BROKER_PAPER_MARKET_HOURS=enforce)', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_MARKET_HOURS: 'enforce' });
    trader = await register(api.url, 'sessions@example.com');
  });
  afterAll(async () => {
    await api.close();
  });
  const clock = (ms: number) => {
    api.services.marketHours.now = () => ms;
  };
  const alert = (secret: string, extra: Record<string, unknown> = {}) =>
    postAlert(api.url, { secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 1, price: 2500, ...extra });
  const events = async (executionId: string) =>
    (
      await gql(
        api.url,
        'query($id: ID!) { execution(id: $id) { events { type payload } } }',
        { id: executionId },
        trader.accessToken,
      )
    ).data!.execution.events;

  it('should refuse an NSE order at 19:06 IST, on a weekend and on a holiday as market_closed, recording the alert', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', alertsPerMinute: 1000 });
    clock(at('2026-12-01', '19:06'));
    const evening = await alert(strategy.secret);
    expect(evening.status).toBe(422);
    expect(evening.body).toMatchObject({ status: 'rejected', reason: 'market_closed', alert_id: expect.any(String) });
    expect(evening.body.message).toMatch(/NSE_EQ is closed \(after the close\); it opens 2 Dec 2026, 9:15:00/);
    expect(await waitForStatus(api.url, trader.accessToken, evening.body.alert_id, ['REJECTED'])).toMatchObject({
      rejectReason: 'market_closed',
      filledQty: '0',
    });

    clock(at('2026-11-28', '11:00'));
    const saturday = await alert(strategy.secret);
    expect(saturday.body).toMatchObject({
      reason: 'market_closed',
      message: expect.stringContaining('(weekend); it opens 30 Nov 2026, 9:15:00'),
    });
    clock(at('2026-12-25', '11:00'));
    const christmas = await alert(strategy.secret);
    expect(christmas.body).toMatchObject({
      reason: 'market_closed',
      message: expect.stringContaining('(holiday: Christmas); it opens 28 Dec 2026'),
    });

    // Inside the session the same strategy trades
    clock(at('2026-12-02', '10:00'));
    const open = await alert(strategy.secret);
    expect(open.status).toBe(202);
    await waitForStatus(api.url, trader.accessToken, open.body.alert_id, ['FILLED']);
  });

  it('should queue the alert of a strategy that allows after-market orders and fill it at the next open', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'TCS',
      afterMarketOrders: true,
      alertsPerMinute: 1000,
    });
    clock(at('2026-11-28', '10:00'));
    const reply = await alert(strategy.secret, { price: 4000 });
    expect(reply.status).toBe(202);
    const pending = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['PENDING']);
    const list = await waitFor(
      async () => {
        const found = await events(pending.id);
        return found.some((ev: { type: string }) => ev.type === 'ERROR') ? found : undefined;
      },
      8000,
      'the queued notice',
    );
    expect(list.find((ev: { type: string }) => ev.type === 'ERROR').payload).toMatchObject({
      code: 'market_closed',
      queuedUntil: new Date(at('2026-11-30', '09:15')).toISOString(),
    });
    // The queued attempt is given back (any pass that ran meanwhile too)
    const waiting = {
      execution: await waitFor(
        async () => {
          const e = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['PENDING']);
          return e.attempts === 0 ? e : undefined;
        },
        8000,
        'the attempt given back',
      ),
    };
    expect(waiting.execution).toMatchObject({
      status: 'PENDING',
      filledQty: '0',
      attempts: 0,
      lastError: expect.stringContaining('NSE_EQ is closed (weekend)'),
    });
    // Asked again while the market is still closed (a timer, the sweep): it keeps waiting, announced once
    await api.services.executor.run(waiting.execution.id);
    expect((await events(waiting.execution.id)).filter((ev: { type: string }) => ev.type === 'ERROR')).toHaveLength(1);

    // Monday's open: the attempt scheduled for it runs (here by hand) and the order fills
    clock(at('2026-11-30', '09:16'));
    await api.services.executor.run(waiting.execution.id);
    const filled = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    expect(filled).toMatchObject({ filledQty: '1', attempts: 1 });
  });

  it('should show the setting on the strategy and let it be changed', async () => {
    const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    const res = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { afterMarketOrders: true }) { afterMarketOrders } }',
      { id: strategy.id },
      trader.accessToken,
    );
    expect(res.data!.updateStrategy).toEqual({ afterMarketOrders: true });
  });
});

describe('paper around the clock (BROKER_PAPER_MARKET_HOURS=ignore)', () => {
  it('should fill a paper order on a Saturday', async () => {
    const api = await startTestApi({ BROKER_PAPER_MARKET_HOURS: 'ignore' });
    try {
      api.services.marketHours.now = () => at('2026-11-28', '11:00');
      const trader = await register(api.url, 'demo@example.com');
      const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
      const reply = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 1,
        price: 2500,
      });
      expect(reply.status).toBe(202);
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    } finally {
      await api.close();
    }
  });
});
