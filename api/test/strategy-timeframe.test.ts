import { normalizeTimeframe } from '../src/modules/strategies/strategy-timeframe';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register, Session } from './harness/graphql-client';

// A strategy made through the API with TradingView's {{interval}} ("5") and one made in the dashboard ("5m") store
// and show the same timeframe.
describe('strategy timeframe', () => {
  it.each([
    ['1', '1m'],
    ['5', '5m'],
    ['5m', '5m'],
    ['15', '15m'],
    ['045', '45m'],
    ['60', '1h'],
    ['60m', '1h'],
    ['1h', '1h'],
    ['1H', '1h'],
    ['240', '4h'],
    ['4h', '4h'],
    ['D', '1D'],
    ['1D', '1D'],
    ['W', '1W'],
    ['1W', '1W'],
    ['M', '1M'],
    ['3M', '3M'],
    ['30S', '30s'],
    ['30s', '30s'],
  ])('should spell %s as %s', (raw, canonical) => {
    expect(normalizeTimeframe(raw)).toBe(canonical);
  });

  it.each(['0', '0m', '', '5x', 'every tuesday', '1d'])('should refuse %j', (raw) => {
    expect(normalizeTimeframe(raw)).toBeNull();
  });

  describe('through GraphQL', () => {
    let api: TestApi;
    let user: Session;
    beforeAll(async () => {
      api = await startTestApi();
      user = await register(api.url, 'timeframe@example.com');
    });
    afterAll(async () => {
      await api?.close();
    });

    const create = (timeframe: string) =>
      gql(
        api.url,
        'mutation($i: StrategyInput!) { createStrategy(input: $i) { id timeframe } }',
        { i: { name: `tf ${timeframe}`, symbol: 'INFY', timeframe, qty: 1, mode: 'PAPER' } },
        user.accessToken,
      );

    it('should store TradingView forms and dashboard forms as one spelling', async () => {
      const fromApi = await create('5');
      const fromDashboard = await create('5m');
      const daily = await create('D');
      expect(fromApi.data!.createStrategy.timeframe).toBe('5m');
      expect(fromDashboard.data!.createStrategy.timeframe).toBe('5m');
      expect(daily.data!.createStrategy.timeframe).toBe('1D');
      const rows = await api.db.sql.query<{ timeframe: string }>(
        'select timeframe from strategies where id in (?, ?, ?) order by name',
        [fromApi.data!.createStrategy.id, fromDashboard.data!.createStrategy.id, daily.data!.createStrategy.id],
      );
      expect(rows.map((r) => r.timeframe).sort()).toEqual(['1D', '5m', '5m']);
    });

    it('should normalize a patched timeframe and refuse a zero one', async () => {
      const { id } = (await create('15')).data!.createStrategy;
      const patched = await gql(
        api.url,
        'mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { timeframe } }',
        { id, p: { timeframe: '240' } },
        user.accessToken,
      );
      expect(patched.data!.updateStrategy.timeframe).toBe('4h');
      const zero = await create('0');
      expect(errorCode(zero)).toBe('BAD_USER_INPUT');
    });
  });
});
