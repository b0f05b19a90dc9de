import { SAMPLE_STRATEGY_NAME } from '../src/db/seed';
import { startTestApi, TestApi } from './harness/test-api';

// The sample strategy a first start creates looks like one made in the dashboard: its timeframe is one the
// strategy form offers (web/app/lib/strategy-form.validate.ts TIMEFRAMES), shown as "RELIANCE · 5m" like the others
describe('seed', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should create the sample strategy with a timeframe the dashboard offers', async () => {
    const rows = await api.db.sql.query<{ timeframe: string }>('select timeframe from strategies where name = ?', [
      SAMPLE_STRATEGY_NAME,
    ]);
    expect(rows).toEqual([{ timeframe: '5m' }]);
  });
});
