import { gql, register, Session } from './harness/graphql-client';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  startDhanWorld,
  sql,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

const READINESS = '{ brokerReadiness { userId broker accountId segments ready checkedAt items { check ok message } } }';

// Pre-open readiness of a LIVE account: this server's egress IP (EGRESS_IP here) must be the static IP registered at
// DhanHQ (/ip/getIP). A mismatch refuses the alert at the door (422 broker_not_ready), before any order is sent.
describe('broker readiness (static IP)', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      { EGRESS_IP: '127.0.0.1', READINESS_CACHE_SECONDS: '60' },
      {
        prices: { 2885: '2500' },
        instruments: { 2885: { tradingSymbol: 'RELIANCE', lotSize: 1 } },
        staticIps: { primary: '203.0.113.9' },
      },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'readiness@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  const ipReads = () => world.sim.requests.filter((r) => r.path === '/ip/getIP').length;
  const placements = () => world.sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders').length;

  it('should refuse alerts of a LIVE strategy with broker_not_ready while the egress IP is not the registered one', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const readsBefore = ipReads();
    const replies = [];
    for (let i = 0; i < 3; i++)
      replies.push(await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1, price: 2500 }));
    for (const reply of replies) {
      expect(reply).toMatchObject({ status: 422, body: { status: 'rejected', reason: 'broker_not_ready' } });
      expect(reply.body.message).toContain('static_ip');
      expect(reply.body.message).toContain('127.0.0.1');
      expect(reply.body.message).toContain('203.0.113.9');
    }
    // Never at the broker, and the registered IP was read once for the three alerts (cached)
    expect(placements()).toBe(0);
    expect(ipReads() - readsBefore).toBe(1);
    const [row] = await sql<{ reject_reason: string; status: string }>(
      world.api,
      'select reject_reason, status from executions where alert_id = $1',
      [replies[0].body.alert_id],
    );
    expect(row).toMatchObject({ status: 'REJECTED', reject_reason: 'broker_not_ready' });

    const report = await gql(world.api.url, READINESS, undefined, trader.accessToken);
    expect(report.data!.brokerReadiness).toEqual([
      expect.objectContaining({ broker: 'dhan', segments: ['NSE_EQ'], ready: false }),
    ]);
    const items = report.data!.brokerReadiness[0].items;
    expect(items.find((i: { check: string }) => i.check === 'static_ip')).toMatchObject({ ok: false });
    expect(items.find((i: { check: string }) => i.check === 'token')).toMatchObject({ ok: true });
    expect(items.find((i: { check: string }) => i.check === 'instruments')).toMatchObject({ ok: true });
  });

  it("should trade again once the registered IP is this server's (after a reconnect clears the cached check)", async () => {
    world.sim.staticIp.set({ primary: '127.0.0.1' });
    await connectSim(world.api.url, trader.accessToken);
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1, price: 2500 });
    expect(reply.status).toBe(202);
    await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    const report = await gql(world.api.url, READINESS, undefined, trader.accessToken);
    expect(report.data!.brokerReadiness[0].items.find((i: { check: string }) => i.check === 'static_ip')).toMatchObject(
      { ok: true },
    );
  });

  it('should check the default account once when one strategy names it by id and the others leave it to the default', async () => {
    const accounts = await gql(world.api.url, '{ brokerAccounts { id } }', undefined, trader.accessToken);
    const [account] = accounts.data!.brokerAccounts;
    await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE', brokerAccountId: account.id });
    // One account, one report (and one BROKER_NOT_READY notice before the open), whichever way a strategy names it
    const report = await gql(world.api.url, READINESS, undefined, trader.accessToken);
    expect(report.data!.brokerReadiness).toEqual([
      expect.objectContaining({ broker: 'dhan', accountId: account.id, segments: ['NSE_EQ'] }),
    ]);
  });
});
