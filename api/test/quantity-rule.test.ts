import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, GqlResponse, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey } from './harness/pipeline';

const SHARES = (segment: string, field = 'qty') =>
  `${field} must be a whole number of shares (${segment} trades in shares), at least 1, e.g. 1 or 10`;
const LOTS = (segment: string, field = 'qty') =>
  `${field} must be a whole number of lots (${segment} trades in lots), at least 1, e.g. 1 or 2`;

// One quantity rule per segment (whole lots for F&O and MCX, whole shares for equity), the same at the API's
// strategy settings and at the webhook, with messages that say what is allowed.
describe('the quantity rule in strategy settings and at the webhook', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'quantities@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const create = (input: Record<string, unknown>) =>
    gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id qty exchangeSegment } }',
      {
        i: { name: 'Q', symbol: 'RELIANCE', timeframe: '5', qty: 1, mode: 'PAPER', ...input },
      },
      trader.accessToken,
    );
  const update = (id: string, input: Record<string, unknown>) =>
    gql(
      api.url,
      'mutation($id: ID!, $i: StrategyPatch!) { updateStrategy(id: $id, input: $i) { qty exchangeSegment } }',
      { id, i: input },
      trader.accessToken,
    );
  const qtyIssue = (res: GqlResponse) => {
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    return res.errors![0].extensions!.details!.filter((d) => d.path === 'qty').map((d) => d.message);
  };

  it.each([
    [{ qty: '1.5' }, SHARES('NSE_EQ')],
    [{ qty: '-5' }, SHARES('NSE_EQ')],
    [{ qty: '0' }, SHARES('NSE_EQ')],
    [{ qty: '0.5', exchangeSegment: 'NSE_FNO' }, LOTS('NSE_FNO')],
    [{ qty: '2.5', exchangeSegment: 'MCX_COMM' }, LOTS('MCX_COMM')],
  ])('should refuse to create a strategy with %p, saying what is allowed', async (input, message) => {
    expect(qtyIssue(await create(input))).toEqual([message]);
  });

  it('should store whole quantities in either unit', async () => {
    expect((await create({ qty: '10' })).data!.createStrategy).toMatchObject({ qty: '10', exchangeSegment: 'NSE_EQ' });
    expect((await create({ qty: 3, exchangeSegment: 'NSE_FNO' })).data!.createStrategy).toMatchObject({
      qty: '3',
      exchangeSegment: 'NSE_FNO',
    });
  });

  it('should check a patch against the segment it leaves the strategy in', async () => {
    const id = (await create({ qty: '2', exchangeSegment: 'MCX_COMM' })).data!.createStrategy.id;
    expect(qtyIssue(await update(id, { qty: '1.5' }))).toEqual([LOTS('MCX_COMM')]);
    expect(qtyIssue(await update(id, { qty: '-5', exchangeSegment: 'BSE_EQ' }))).toEqual([SHARES('BSE_EQ')]);
    expect((await update(id, { qty: '4', exchangeSegment: 'NSE_EQ' })).data!.updateStrategy).toEqual({
      qty: '4',
      exchangeSegment: 'NSE_EQ',
    });
    expect((await update(id, { name: 'renamed' })).data!.updateStrategy).toEqual({
      qty: '4',
      exchangeSegment: 'NSE_EQ',
    });
  });

  it.each([
    ['NSE_EQ', '1.5', SHARES('NSE_EQ')],
    ['NSE_EQ', '-5', SHARES('NSE_EQ')],
    ['NSE_FNO', '0.5', LOTS('NSE_FNO')],
    ['MCX_COMM', '1.25', LOTS('MCX_COMM')],
  ])(
    'should refuse an alert for a %s strategy with qty %s, saying what is allowed, and store nothing',
    async (exchangeSegment, qty, message) => {
      const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'NOSUCH', exchangeSegment });
      const reply = await postAlert(api.url, {
        secret: s.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty,
        price: 100,
      });
      expect(reply).toEqual({ status: 400, body: { error: 'invalid_payload', details: [{ path: 'qty', message }] } });
      const [row] = await api.db.sql.query<{ n: number }>(
        'select count(*)::int as n from alerts where strategy_id = ?',
        [s.id],
      );
      expect(row.n).toBe(0);
    },
  );
});
