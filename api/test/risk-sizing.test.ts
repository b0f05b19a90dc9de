import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';
import { futureDatedMaster } from './harness/instrument-master';

// Issue 18 sizing modes, on paper through TradingView-shaped text/plain deliveries. Every expected quantity is
// computed by hand in the test's comment; paper accounts start with 10,00,000 INR (BROKER_PAPER_INITIAL_CAPITAL).
describe('sizing modes', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({
      BROKER_PAPER_SLIPPAGE_BPS: '0',
      BROKER_PAPER_MARKET_HOURS: 'ignore',
      BROKER_DHAN_INSTRUMENTS_SOURCE: futureDatedMaster(),
    });
    await api.services.instrumentMaster.refresh();
    trader = await register(api.url, 'sizing@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const deliver = (s: Deployed, fields: Record<string, unknown>) =>
    postAlert(
      api.url,
      JSON.stringify({ secret: s.secret, idempotency_key: uniqueKey(), order_type: 'MARKET', ...fields }),
      'text/plain; charset=utf-8',
    );
  const filled = async (s: Deployed, fields: Record<string, unknown>) => {
    const reply = await deliver(s, fields);
    expect(reply).toMatchObject({ status: 202 });
    const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    const sizing = (
      await gql(api.url, 'query($id: ID!) { execution(id: $id) { sizing } }', { id: execution.id }, trader.accessToken)
    ).data!.execution.sizing;
    return { ...execution, sizing };
  };
  const strategy = (input: Record<string, unknown>) => createAndDeploy(api.url, trader.accessToken, input);

  it("should keep the alert's qty by default (ALERT) and record no sizing", async () => {
    const s = await strategy({ symbol: 'INFY', qty: 3 });
    expect(await filled(s, { side: 'buy', qty: '7', price: '1500' })).toMatchObject({ qty: '7', sizing: null });
  });

  it("FIXED: always the strategy's qty, whatever the alert asks", async () => {
    const s = await strategy({ symbol: 'INFY', qty: 3, sizingMode: 'FIXED' });
    const e = await filled(s, { side: 'buy', qty: '7', price: '1500' });
    expect(e).toMatchObject({ side: 'BUY', qty: '3' });
    expect(e.sizing).toEqual({
      mode: 'FIXED',
      lotSize: '1',
      inputs: { strategyQty: '3', alertQty: '7' },
      computed: '3',
      qty: '3',
      orderQty: '3',
    });
  });

  it('PERCENT_OF_CAPITAL: 10% of 10,00,000 at 1500 = 66.67, rounded down to 66 shares', async () => {
    const s = await strategy({ symbol: 'TCS', sizingMode: 'PERCENT_OF_CAPITAL', sizingValue: '10' });
    const e = await filled(s, { side: 'buy', qty: '1', price: '1500' });
    expect(e).toMatchObject({ qty: '66', status: 'FILLED' });
    expect(e.sizing).toMatchObject({
      mode: 'PERCENT_OF_CAPITAL',
      value: '10',
      inputs: { capital: '1000000.00', percent: '10', price: '1500' },
      computed: '66',
      qty: '66',
    });
    // The next entry sizes from what is left: 10,00,000 - 66 x 1500 - charges = about 9,00,9xx available; 10% at 1500 = 60.06 -> 60
    expect(await filled(s, { side: 'buy', qty: '1', price: '1500' })).toMatchObject({ qty: '60' });
  });

  it('RISK_PER_TRADE: 1000 INR over the distance to the stop as a price, a percent or points', async () => {
    const s = await strategy({ symbol: 'RELIANCE', sizingMode: 'RISK_PER_TRADE', sizingValue: '1000' });
    // 2500 - 2480 = 20 per share: 1000 / 20 = 50
    const price = await filled(s, { side: 'buy', price: '2500', stop_loss: 2480 });
    expect(price).toMatchObject({ qty: '50' });
    expect(price.sizing).toMatchObject({
      inputs: { price: '2500', stopLoss: '2480', stopDistance: '20', riskAmount: '1000' },
      qty: '50',
    });
    // 1% of 2500 = 25: 1000 / 25 = 40 (a sell: TradingView reversing is not the point here, the policy reverses 50 + 40)
    expect((await filled(s, { side: 'sell', price: '2500', stop_loss: '1%' })).sizing).toMatchObject({
      inputs: { stopDistance: '25' },
      qty: '40',
    });
    // 30 points: 1000 / 30 = 33.3 -> 33
    expect((await filled(s, { side: 'sell', price: '2500', stop_loss: '30pts' })).sizing).toMatchObject({
      inputs: { stopDistance: '30' },
      qty: '33',
    });
  });

  it('RISK_PER_TRADE on futures: 10000 INR, stop 50 points away, lot 75: 10000 / (50 x 75) = 2.67 -> 2 lots = 150', async () => {
    const s = await strategy({
      symbol: 'NIFTY',
      exchangeSegment: 'NSE_FNO',
      productType: 'MARGIN',
      sizingMode: 'RISK_PER_TRADE',
      sizingValue: '10000',
    });
    const e = await filled(s, { side: 'buy', price: '24000', stop_loss: '23950' });
    expect(e).toMatchObject({ qty: '150' });
    expect(e.sizing).toMatchObject({ lotSize: '75', computed: '2', qty: '2', orderQty: '150' });
  });

  it('RISK_PER_TRADE refuses what it cannot size: no stop, a stop on the wrong side, less than one share', async () => {
    const s = await strategy({ symbol: 'SBIN', sizingMode: 'RISK_PER_TRADE', sizingValue: '100' });
    const none = await deliver(s, { side: 'buy', price: '800' });
    expect(none).toMatchObject({ status: 422, body: { reason: 'sizing_unavailable' } });
    expect(none.body.message).toMatch(/needs the alert's stop_loss/);
    const wrongSide = await deliver(s, { side: 'sell', price: '800', stop_loss: 790 });
    expect(wrongSide).toMatchObject({
      status: 422,
      body: { reason: 'sizing_unavailable', message: 'stop_loss 790 is not above the price 800 of this sell' },
    });
    // 100 / 200 = 0.5 share
    const small = await deliver(s, { side: 'buy', price: '800', stop_loss: 600 });
    expect(small).toMatchObject({ status: 422, body: { reason: 'size_too_small' } });
    const bad = await deliver(s, { side: 'buy', price: '800', stop_loss: 'soon' });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_payload', details: [{ path: 'stop_loss' }] } });
  });

  it("MULTIPLIER: the alert's qty and TradingView's position_size times 2.5, rounded down", async () => {
    const s = await strategy({ symbol: 'ITC', sizingMode: 'MULTIPLIER', sizingValue: '2.5' });
    // 3 x 2.5 = 7.5 -> 7; TradingView long 3 -> our target 7
    const e = await filled(s, { side: 'buy', qty: '3', price: '450', market_position: 'long', position_size: '3' });
    expect(e).toMatchObject({ qty: '7' });
    expect(e.sizing).toMatchObject({ inputs: { multiplier: '2.5', alertQty: '3' }, computed: '7', positionSize: '7' });
    // TradingView adds 2 (long 5): 5 x 2.5 = 12.5 -> 12, so 5 more
    expect(
      await filled(s, { side: 'buy', qty: '2', price: '450', market_position: 'long', position_size: '5' }),
    ).toMatchObject({ qty: '5' });
  });

  it('should cap the sized quantity by maxQtyPerOrder and say so', async () => {
    const s = await strategy({
      symbol: 'WIPRO',
      sizingMode: 'PERCENT_OF_CAPITAL',
      sizingValue: '50',
      maxQtyPerOrder: '100',
    });
    // 50% of 10,00,000 at 250 = 2000 shares, capped to 100
    const e = await filled(s, { side: 'buy', price: '250' });
    expect(e).toMatchObject({ qty: '100' });
    expect(e.sizing).toMatchObject({ computed: '2000', cappedBy: 'maxQtyPerOrder', qty: '100' });
  });

  it('should refuse a sizing mode without its value', async () => {
    const res = await gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
      {
        i: { name: 'x', symbol: 'INFY', timeframe: '5', qty: 1, mode: 'PAPER', sizingMode: 'RISK_PER_TRADE' },
      },
      trader.accessToken,
    );
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.errors?.[0].message).toMatch(/needs sizingValue/);
  });
});
