import { gql, register, Session } from './harness/graphql-client';
import {
  captureLogs,
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  SIM_CLIENT_ID,
  SIM_TOKEN,
  startDhanWorld,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

const DETAILS = `query($b: String!) { brokerAccountDetails(broker: $b) {
  account { status clientIdMasked tokenExpiresAt lastError }
  profile { clientIdMasked name tokenExpiresAt segments }
  funds { available used total }
  holdings { symbol securityId exchangeSegment quantity averagePrice lastPrice }
  positions { symbol securityId exchangeSegment product netQuantity averagePrice realizedPnl unrealizedPnl lastPrice }
  problems { part code message } } }`;

const HOLDING = {
  exchange: 'NSE',
  tradingSymbol: 'TCS',
  securityId: '11536',
  isin: 'INE467B01029',
  totalQty: 5,
  dpQty: 5,
  t1Qty: 0,
  availableQty: 5,
  collateralQty: 0,
  avgCostPrice: 3500.5,
  lastTradedPrice: 3610,
};

describe('the broker page reads a connected account through its plugin', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld({}, { holdings: [HOLDING], prices: { 2885: '2950.5' } });
    trader = await register(world.api.url, 'broker-page@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should show profile, funds, holdings and positions as the broker reports them, never the credentials', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 2, price: 2950 });
    expect(reply.status).toBe(202);
    // The simulator fills it at once; without the order-update socket the api may still show it PLACED
    await waitForExecution(world.api, reply.body.alert_id, ['PLACED', 'FILLED']);

    const logs = captureLogs();
    let res;
    try {
      res = await gql(world.api.url, DETAILS, { b: 'dhan' }, trader.accessToken);
    } finally {
      logs.stop();
    }
    expect(res.errors).toBeUndefined();
    const d = res.data!.brokerAccountDetails;
    expect(d.problems).toEqual([]);
    expect(d.account).toMatchObject({ status: 'CONNECTED', clientIdMasked: '******0001' });
    expect(d.profile.clientIdMasked).toBe('******0001');
    expect(d.profile.segments).toEqual(expect.arrayContaining(['NSE_EQ', 'MCX_COMM']));
    expect(Date.parse(d.profile.tokenExpiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(Number(d.funds.available)).toBeGreaterThan(0);
    expect(d.holdings).toEqual([
      {
        symbol: 'TCS',
        securityId: '11536',
        exchangeSegment: 'NSE_EQ',
        quantity: '5',
        averagePrice: '3500.5',
        lastPrice: '3610',
      },
    ]);
    // (the simulator names positions by security id)
    expect(d.positions).toEqual([
      expect.objectContaining({
        securityId: '2885',
        exchangeSegment: 'NSE_EQ',
        product: 'INTRADAY',
        netQuantity: '2',
        averagePrice: '2950.5',
      }),
    ]);
    for (const text of [JSON.stringify(res), logs.text()]) {
      expect(text).not.toContain(SIM_TOKEN);
      expect(text).not.toContain(SIM_CLIENT_ID);
    }
    // Read with the account's own credentials
    const read = world.sim.requests.filter((r) => r.path === '/fundlimit').at(-1)!;
    expect(read.headers['access-token']).toBe(SIM_TOKEN);
  });

  it('should turn a refused token into a clear message and mark the account EXPIRED', async () => {
    world.sim.expireToken();
    try {
      const d = (await gql(world.api.url, DETAILS, { b: 'dhan' }, trader.accessToken)).data!.brokerAccountDetails;
      expect(d.funds).toBeNull();
      expect(d.problems.length).toBeGreaterThanOrEqual(1);
      expect(d.problems[0].code).toMatch(/TOKEN_EXPIRED|AUTH_FAILED/);
      expect(d.problems[0].message).toMatch(/DhanHQ refused the access token .*connect again with a new token/);
      expect(JSON.stringify(d)).not.toContain(SIM_TOKEN);
      expect(d.account.status).toBe('EXPIRED');

      // From now on nothing is asked of the broker until the account is connected again
      const before = world.sim.requests.length;
      const again = (await gql(world.api.url, DETAILS, { b: 'dhan' }, trader.accessToken)).data!.brokerAccountDetails;
      expect(again.problems).toEqual([
        {
          part: 'account',
          code: 'NOT_CONNECTED',
          message: expect.stringMatching(/stopped accepting the access token/),
        },
      ]);
      expect(world.sim.requests.length).toBe(before);
    } finally {
      world.sim.setAccessToken(SIM_TOKEN);
    }
  });

  it('should answer null for a broker the user never connected, and need a signed-in user', async () => {
    const stranger = await register(world.api.url, 'no-broker@example.com');
    expect(
      (await gql(world.api.url, DETAILS, { b: 'dhan' }, stranger.accessToken)).data!.brokerAccountDetails,
    ).toBeNull();
    expect((await gql(world.api.url, DETAILS, { b: 'dhan' })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});
