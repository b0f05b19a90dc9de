import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';
import { futureDatedMaster } from './harness/instrument-master';

// An alert trades the strategy's symbol: one naming another symbol is refused (422 symbol_mismatch, recorded),
// unless the strategy lists it in allowedSymbols. TradingView's spellings of the same symbol still match.
describe("the strategy's symbol at the webhook", () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({
      BROKER_PAPER_SLIPPAGE_BPS: '0',
      BROKER_PAPER_MARKET_HOURS: 'ignore',
      BROKER_DHAN_INSTRUMENTS_SOURCE: futureDatedMaster(),
    });
    await api.services.instrumentMaster.refresh();
    trader = await register(api.url, 'symbols@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (s: Deployed, fields: Record<string, unknown>) =>
    postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 1, price: 100, ...fields });
  const filled = async (s: Deployed, fields: Record<string, unknown>) => {
    const reply = await post(s, fields);
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
  };
  const positions = async (strategyId: string) => {
    const res = await gql(api.url, '{ positions { strategyId symbol qty } }', undefined, trader.accessToken);
    return res
      .data!.positions.filter((p: { strategyId: string }) => p.strategyId === strategyId)
      .map((p: { symbol: string; qty: string }) => `${p.symbol} ${p.qty}`)
      .sort();
  };

  it('should refuse an alert for another symbol with 422 symbol_mismatch, record it, and trade nothing', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await post(s, { symbol: 'INFY' });
    expect(reply).toMatchObject({
      status: 422,
      body: { status: 'rejected', reason: 'symbol_mismatch', alert_id: expect.any(String) },
    });
    expect(reply.body.message).toMatch(/INFY/);
    expect(reply.body.message).toMatch(/RELIANCE/);
    const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['REJECTED']);
    expect(execution).toMatchObject({ rejectReason: 'symbol_mismatch', symbol: 'INFY' });
    expect(await positions(s.id)).toEqual([]);
  });

  it("should match TradingView's exchange prefix and case, and an alert without a symbol, to the strategy's symbol", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE' });
    for (const symbol of ['NSE:RELIANCE', 'reliance', 'BSE:RELIANCE', undefined]) {
      expect(await filled(s, { symbol })).toMatchObject({ symbol: 'RELIANCE', status: 'FILLED' });
    }
    expect(await positions(s.id)).toEqual(['RELIANCE 4']);
  });

  it('should match a continuous-contract ticker to a futures strategy, and refuse another commodity', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, {
      symbol: 'NATURALGAS',
      exchangeSegment: 'MCX_COMM',
      productType: 'MARGIN',
    });
    expect(await filled(s, { symbol: 'NATURALGAS1!' })).toMatchObject({ symbol: 'NATURALGAS', status: 'FILLED' });
    expect(await filled(s, { symbol: 'MCX:NATURALGAS1!' })).toMatchObject({ symbol: 'NATURALGAS', status: 'FILLED' });
    expect(await post(s, { symbol: 'CRUDEOIL1!' })).toMatchObject({ status: 422, body: { reason: 'symbol_mismatch' } });
    expect(await post(s, { symbol: 'NATGASMINI1!' })).toMatchObject({
      status: 422,
      body: { reason: 'symbol_mismatch' },
    });
  });

  it('should trade the symbols a multi-symbol strategy allows, each in its own position, and refuse the rest', async () => {
    const created = await gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id symbol allowedSymbols } }',
      {
        i: {
          name: 'Basket',
          symbol: 'RELIANCE',
          timeframe: '5',
          qty: 2,
          mode: 'PAPER',
          allowedSymbols: ['infy', 'NSE:TCS'],
        },
      },
      trader.accessToken,
    );
    expect(created.data!.createStrategy).toMatchObject({ symbol: 'RELIANCE', allowedSymbols: ['INFY', 'TCS'] });
    const id = created.data!.createStrategy.id;
    const deployed = await gql(
      api.url,
      'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
      { id },
      trader.accessToken,
    );
    const s: Deployed = {
      id,
      secret: deployed.data!.deployStrategy.webhookSecret,
      webhookUrl: '',
      alertMessage: '',
      pineSnippet: '',
    };

    expect(await filled(s, { symbol: 'NSE:INFY' })).toMatchObject({ symbol: 'INFY', qty: '1' });
    expect(await filled(s, { symbol: 'TCS' })).toMatchObject({ symbol: 'TCS' });
    expect(await filled(s, { symbol: 'RELIANCE' })).toMatchObject({ symbol: 'RELIANCE' });
    expect(await post(s, { symbol: 'WIPRO' })).toMatchObject({ status: 422, body: { reason: 'symbol_mismatch' } });
    expect(await positions(id)).toEqual(['INFY 1', 'RELIANCE 1', 'TCS 1']);

    // An empty list makes it a single-symbol strategy again
    const cleared = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { allowedSymbols: [] }) { allowedSymbols } }',
      { id },
      trader.accessToken,
    );
    expect(cleared.data!.updateStrategy.allowedSymbols).toEqual([]);
    expect(await post(s, { symbol: 'INFY' })).toMatchObject({ status: 422, body: { reason: 'symbol_mismatch' } });
  });

  it("should resolve another allowed symbol as itself, never through the security id override of the strategy's own", async () => {
    const created = await gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
      {
        i: {
          name: 'Override',
          symbol: 'RELIANCE',
          timeframe: '5',
          qty: 1,
          mode: 'PAPER',
          instrumentOverride: '2885',
          allowedSymbols: ['INFY'],
        },
      },
      trader.accessToken,
    );
    const id = created.data!.createStrategy.id;
    const deployed = await gql(
      api.url,
      'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
      { id },
      trader.accessToken,
    );
    const s: Deployed = {
      id,
      secret: deployed.data!.deployStrategy.webhookSecret,
      webhookUrl: '',
      alertMessage: '',
      pineSnippet: '',
    };
    const securityOf = async (alertId: string) =>
      (
        await api.db.sql.query<{ security_id: string }>(
          'select e.security_id from executions e join alerts a on a.id = e.alert_id where a.id = ?',
          [alertId],
        )
      )[0].security_id;
    const own = await post(s, { symbol: 'RELIANCE' });
    const other = await post(s, { symbol: 'INFY' });
    expect([own.status, other.status]).toEqual([202, 202]);
    expect(await securityOf(own.body.alert_id)).toBe('2885');
    expect(await securityOf(other.body.alert_id)).toBe('1594');
  });

  it('should refuse a malformed allowed symbol with BAD_USER_INPUT naming the field', async () => {
    const res = await gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
      {
        i: {
          name: 'Bad',
          symbol: 'RELIANCE',
          timeframe: '5',
          qty: 1,
          mode: 'PAPER',
          allowedSymbols: ['INFY', 'NOT A SYMBOL'],
        },
      },
      trader.accessToken,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.details!.map((d) => d.path)).toContain('allowedSymbols');
  });
});
