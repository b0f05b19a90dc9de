import { ADMIN } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { connectSim, DhanWorld, startDhanWorld } from './fixtures/dhan/dhan-kit';

const PNL_FIELDS = 'broker active profit loss products killSwitch';

// The broker's own account controls through the SDK: the daily P&L exit (/pnlExit) and the broker kill switch
// (/killswitch), activated with the platform's for the accounts that opted in.
describe('broker account controls (P&L exit, kill switch)', () => {
  let world: DhanWorld;
  let trader: Session;
  let admin: Session;
  beforeAll(async () => {
    world = await startDhanWorld();
    trader = await register(world.api.url, 'controls@example.com');
    admin = (await login(world.api.url, ADMIN.email, ADMIN.password)).data!.login;
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  const setKillSwitch = (enabled: boolean) =>
    gql(world.api.url, 'mutation($e: Boolean!) { setKillSwitch(enabled: $e) }', { e: enabled }, admin.accessToken);
  const killSwitchCalls = () =>
    world.sim.requests.filter((r) => r.path === '/killswitch' && r.method === 'POST').length;

  it('should set, read and stop the daily P&L exit at the broker', async () => {
    const set = await gql(
      world.api.url,
      `mutation($i: BrokerPnlExitInput!) { setBrokerPnlExit(input: $i) { ${PNL_FIELDS} } }`,
      { i: { broker: 'dhan', loss: '500', profit: '1500.50', products: ['INTRADAY'], killSwitch: true } },
      trader.accessToken,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setBrokerPnlExit).toMatchObject({ broker: 'dhan', active: true, products: ['INTRADAY'] });
    const body = world.sim.requests.filter((r) => r.path === '/pnlExit' && r.method === 'POST').at(-1)!.body;
    expect(body).toMatchObject({
      lossValue: '500.00',
      profitValue: '1500.50',
      productType: ['INTRADAY'],
      enableKillSwitch: true,
    });
    expect(world.sim.pnlExit.rule).toMatchObject({ status: 'ACTIVE', killSwitch: true });

    const read = await gql(
      world.api.url,
      `{ brokerPnlExit(broker: "dhan") { ${PNL_FIELDS} } }`,
      undefined,
      trader.accessToken,
    );
    expect(read.data!.brokerPnlExit).toMatchObject({ active: true, loss: '500', profit: '1500.5', killSwitch: true });

    const stop = await gql(
      world.api.url,
      'mutation { stopBrokerPnlExit(broker: "dhan") }',
      undefined,
      trader.accessToken,
    );
    expect(stop.data!.stopBrokerPnlExit).toBe(true);
    expect(world.sim.pnlExit.rule).toBeUndefined();

    const bad = await gql(
      world.api.url,
      `mutation($i: BrokerPnlExitInput!) { setBrokerPnlExit(input: $i) { ${PNL_FIELDS} } }`,
      { i: { broker: 'dhan', products: ['INTRADAY'] } },
      trader.accessToken,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should activate the broker kill switch with the platform one only for accounts that opted in', async () => {
    let before = killSwitchCalls();
    expect((await setKillSwitch(true)).data!.setKillSwitch).toBe(true);
    await setKillSwitch(false);
    expect(killSwitchCalls()).toBe(before);
    expect(world.sim.state.killSwitch).toBe(false);

    const link = await gql(
      world.api.url,
      'mutation { setBrokerKillSwitchLink(broker: "dhan", enabled: true) { broker brokerKillSwitch } }',
      undefined,
      trader.accessToken,
    );
    expect(link.data!.setBrokerKillSwitchLink).toEqual({ broker: 'dhan', brokerKillSwitch: true });
    before = killSwitchCalls();
    await setKillSwitch(true);
    expect(killSwitchCalls() - before).toBe(1);
    expect(world.sim.state.killSwitch).toBe(true);
    // Turning the platform's off leaves the broker's as it is (it holds for the broker's day)
    await setKillSwitch(false);
    expect(world.sim.state.killSwitch).toBe(true);
  });
});
