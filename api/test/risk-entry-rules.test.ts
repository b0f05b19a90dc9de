import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// Issue 18 (signal integrity, protections): refusals at the webhook, on paper, through TradingView-shaped
// text/plain deliveries. Each refusal answers 422 with its reason and is recorded like the other rejections.
describe('entry rules: stale signals, cooldown after a loss, trades per day', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'entry-rules@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
  const deliver = (s: Deployed, fields: Record<string, unknown>) =>
    postAlert(
      api.url,
      JSON.stringify({ secret: s.secret, idempotency_key: uniqueKey(), order_type: 'MARKET', ...fields }),
      'text/plain; charset=utf-8',
    );
  const filled = async (s: Deployed, fields: Record<string, unknown>) => {
    const reply = await deliver(s, fields);
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
  };
  const recorded = async (alertId: string) =>
    (
      await api.db.sql.query<{ status: string; reject_reason: string }>(
        'select status, reject_reason from alerts where id = ?',
        [alertId],
      )
    )[0];

  it('should refuse an entry whose time is older than maxSignalAgeSeconds (default 60) with 422 stale_signal, and record it', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    const stale = await deliver(s, { side: 'buy', qty: '1', price: '1500', time: iso(61_000) });
    expect(stale.status).toBe(422);
    expect(stale.body).toMatchObject({ status: 'rejected', reason: 'stale_signal' });
    expect(stale.body.message).toMatch(/6\d s old, above the strategy's maximum of 60 s/);
    expect(await recorded(stale.body.alert_id)).toEqual({ status: 'REJECTED', reject_reason: 'stale_signal' });
    const execution = await waitForStatus(api.url, trader.accessToken, stale.body.alert_id, ['REJECTED']);
    expect(execution.rejectReason).toBe('stale_signal');
    // Fresh, or without a time at all: traded
    await filled(s, { side: 'buy', qty: '1', price: '1500', time: iso(5_000) });
    await filled(s, { side: 'buy', qty: '1', price: '1500' });
    // A late exit still closes: holding what TradingView has left is the larger risk
    const exit = await filled(s, { side: 'exit', price: '1500', time: iso(600_000) });
    expect(exit).toMatchObject({ side: 'EXIT', qty: '2', status: 'FILLED' });
  });

  it("should follow the strategy's own maxSignalAgeSeconds", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', maxSignalAgeSeconds: 300 });
    await filled(s, { side: 'buy', qty: '1', price: '3500', time: iso(200_000) });
    const stale = await deliver(s, { side: 'buy', qty: '1', price: '3500', time: iso(301_000) });
    expect(stale.body.reason).toBe('stale_signal');
  });

  it('should refuse entries for cooldownMinutes after a losing round trip (422 cooldown), exits still allowed', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'SBIN', cooldownMinutes: 30 });
    await filled(s, { side: 'buy', qty: '10', price: '800' });
    await filled(s, { side: 'sell', qty: '10', price: '790', market_position: 'flat' }); // lost 100 INR plus charges
    const refused = await deliver(s, { side: 'buy', qty: '1', price: '790' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ reason: 'cooldown' });
    expect(refused.body.message).toMatch(/closed at a loss of -1\d\d\.\d+ INR; no entries for 30 min/);
    expect(await recorded(refused.body.alert_id)).toEqual({ status: 'REJECTED', reject_reason: 'cooldown' });
    // The cooldown is over once the loss is older than cooldownMinutes
    await api.db.sql.query(
      `update round_trips set closed_at = closed_at - interval '31 minutes' where strategy_id = ?`,
      [s.id],
    );
    await filled(s, { side: 'buy', qty: '1', price: '790' });
  });

  it('should not cool down after a winning round trip', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'ITC', cooldownMinutes: 30 });
    await filled(s, { side: 'buy', qty: '10', price: '400' });
    await filled(s, { side: 'exit', price: '450' });
    await filled(s, { side: 'buy', qty: '1', price: '450' });
  });

  it('should refuse the entry beyond maxTradesPerDay (IST day, open trips count) with 422 max_trades_per_day', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'WIPRO', maxTradesPerDay: 2 });
    await filled(s, { side: 'buy', qty: '1', price: '250' });
    await filled(s, { side: 'exit', price: '251' });
    await filled(s, { side: 'buy', qty: '1', price: '250' }); // second trip, still open
    const third = await deliver(s, { side: 'buy', qty: '1', price: '250' });
    expect(third.status).toBe(422);
    expect(third.body).toMatchObject({
      reason: 'max_trades_per_day',
      message: "2 trades opened today (IST), the strategy's maximum of 2",
    });
    expect(await recorded(third.body.alert_id)).toEqual({ status: 'REJECTED', reject_reason: 'max_trades_per_day' });
    // Closing is never refused
    await filled(s, { side: 'exit', price: '252' });
    // Trips opened on an earlier IST day do not count
    await api.db.sql.query(`update round_trips set opened_at = opened_at - interval '1 day' where strategy_id = ?`, [
      s.id,
    ]);
    await filled(s, { side: 'buy', qty: '1', price: '250' });
  });

  it('should keep the settings on the strategy, clearable with null', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'HDFCBANK',
      cooldownMinutes: 15,
      maxTradesPerDay: 3,
    });
    const fields = 'maxSignalAgeSeconds cooldownMinutes maxTradesPerDay';
    const read = await gql(
      api.url,
      `query($id: ID!) { strategy(id: $id) { ${fields} } }`,
      { id: s.id },
      trader.accessToken,
    );
    expect(read.data!.strategy).toEqual({ maxSignalAgeSeconds: 60, cooldownMinutes: 15, maxTradesPerDay: 3 });
    const patched = await gql(
      api.url,
      `mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { ${fields} } }`,
      { id: s.id, p: { maxSignalAgeSeconds: null, cooldownMinutes: null } },
      trader.accessToken,
    );
    expect(patched.data!.updateStrategy).toEqual({
      maxSignalAgeSeconds: null,
      cooldownMinutes: null,
      maxTradesPerDay: 3,
    });
  });
});
