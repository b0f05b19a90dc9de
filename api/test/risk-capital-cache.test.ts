import { register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey } from './harness/pipeline';
import { connectSim, DhanWorld, sql, startDhanWorld, waitForExecution } from './fixtures/dhan/dhan-kit';

jest.setTimeout(60_000);

// Issue 18, PERCENT_OF_CAPITAL on a LIVE account: the broker's funds are read on the webhook's path, before the
// 202. They are kept per account for 30 s (risk/account-capital.ts), so an alert does not wait on a slow broker.
describe('percent-of-capital sizing from kept broker funds', () => {
  let world: DhanWorld;
  let trader: Session;

  beforeAll(async () => {
    world = await startDhanWorld({ BROKER_PAPER_MARKET_HOURS: 'ignore' }, { prices: { 11536: '4000' } });
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'capital-cache@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    world.sim.clearFaults();
    await world.close();
  });

  const sizingOf = async (alertId: string) =>
    (
      await sql<{ sizing: { inputs: Record<string, string>; qty: string } }>(
        world.api,
        'select sizing from executions where alert_id = $1',
        [alertId],
      )
    )[0].sizing;
  const fundReads = () => world.sim.requests.filter((r) => r.method === 'GET' && r.path === '/fundlimit').length;

  it("should answer 202 while the broker's funds endpoint hangs, sizing from the account's funds read moments ago", async () => {
    const strategy = await createAndDeploy(world.api.url, trader.accessToken, {
      name: 'Capital',
      symbol: 'TCS',
      mode: 'LIVE',
      qty: 1,
      sizingMode: 'PERCENT_OF_CAPITAL',
      sizingValue: '1',
      alertsPerMinute: 1000,
    });
    const alert = () =>
      postAlert(world.api.url, { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', price: 4000 });
    const first = await alert();
    expect(first.status).toBe(202);
    expect(fundReads()).toBeGreaterThanOrEqual(1);
    const read = await sizingOf(first.body.alert_id);
    expect(read.inputs.capital).toMatch(/^\d+\.\d\d$/);
    await waitForExecution(world.api, first.body.alert_id, ['FILLED'], 15_000);

    // DhanHQ's funds endpoint now answers after two minutes (the simulator's latency fault), longer than the test
    world.sim.inject({ kind: 'slow', method: 'GET', path: '/fundlimit', delayMs: 120_000, times: -1 });
    const second = await alert();
    expect(second.status).toBe(202);
    expect(await sizingOf(second.body.alert_id)).toMatchObject({ inputs: { capital: read.inputs.capital } });
    await waitForExecution(world.api, second.body.alert_id, ['FILLED'], 15_000);
  });
});
