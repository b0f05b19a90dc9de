// A strategy given a broker account and no broker trades at the account's broker (issue 18): the web's new
// strategy form sends the account alone. Two live brokers are loaded (DhanHQ, the default, and the example plugin)
// so the account's broker is not the one a strategy gets by default.
import path from 'node:path';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import { startTestApi, TestApi } from './harness/test-api';
import { connectBroker } from './fixtures/dhan/dhan-kit';

const EXAMPLE = path.resolve(__dirname, '../../examples/broker-example');
const { exchange } = require(EXAMPLE) as {
  exchange: { addAccount(c: { clientId: string; accessToken: string }): unknown };
};
const ACCOUNT = { clientId: 'EX-3001', accessToken: 'example-token-3001' };

describe("a strategy's broker from its broker account", () => {
  let api: TestApi;
  let trader: Session;
  let accountId: string;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PLUGINS: `@algodatta/broker-dhan,${EXAMPLE}`, ORDER_POLL_SECONDS: '3600' });
    exchange.addAccount(ACCOUNT);
    trader = await register(api.url, 'account-broker@example.com');
    const connected = await connectBroker(api.url, trader.accessToken, { broker: 'example', ...ACCOUNT });
    expect(connected.errors).toBeUndefined();
    accountId = connected.data!.connectBroker.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = (input: Record<string, unknown>) =>
    gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { broker brokerAccountId } }',
      { i: { name: 'By account', symbol: 'EXIDX', timeframe: '5', qty: 1, mode: 'LIVE', ...input } },
      trader.accessToken,
    );

  it("should put a strategy given only an account at that account's broker", async () => {
    const res = await create({ brokerAccountId: accountId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createStrategy).toEqual({ broker: 'example', brokerAccountId: accountId });
  });

  it('should refuse an account of another broker than the one named', async () => {
    const res = await create({ broker: 'dhan', brokerAccountId: accountId });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('not one of your dhan accounts');
  });
});
