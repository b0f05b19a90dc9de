import path from 'node:path';
import { PluginLoadError } from '@algodatta/broker-sdk';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register } from './harness/graphql-client';

const EXAMPLE = path.resolve(__dirname, '../../plugins/broker-sdk/examples/example-broker/index.js');
const INCOMPATIBLE = path.resolve(__dirname, 'fixtures/incompatible-broker.js');
const BROKERS = '{ brokers { name displayName version contractVersion requiredCredentials capabilities { placeOrder modifyOrder orderUpdates } features { orderTypes segments modifyPrice } } }';

describe('broker plugins loaded from config', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi({ BROKER_PLUGINS: `@algodatta/broker-dhan,${EXAMPLE}` }); });
  afterAll(async () => { await api.close(); });

  it('should list paper, dhan and the example plugin with their capabilities', async () => {
    const user = await register(api.url, 'brokers@example.com');
    const res = await gql(api.url, BROKERS, undefined, user.accessToken);
    const byName = Object.fromEntries(res.data!.brokers.map((b: { name: string }) => [b.name, b]));
    expect(Object.keys(byName).sort()).toEqual(['dhan', 'example', 'paper']);
    expect(byName.paper.capabilities).toMatchObject({ placeOrder: true, modifyOrder: true });
    expect(byName.paper.features.orderTypes).toEqual(expect.arrayContaining(['MARKET', 'LIMIT', 'SL', 'SL-M']));
    expect(byName.dhan.requiredCredentials).toEqual(expect.arrayContaining(['clientId', 'accessToken']));
    expect(byName.example).toMatchObject({ displayName: 'Example Broker', capabilities: { modifyOrder: false, orderUpdates: 'stream' } });
  });

  it('should ask for a login to list brokers', async () => {
    expect(errorCode(await gql(api.url, BROKERS))).toBe('UNAUTHENTICATED');
  });

  it('should hand out working paper clients through the registry', async () => {
    const client = await api.services.brokers.client('paper', 'registry-test-account');
    const order = await client.placeOrder({
      clientOrderId: 'reg-test-1', instrument: { symbol: 'INFY', exchangeSegment: 'NSE_EQ' },
      side: 'BUY', type: 'MARKET', product: 'INTRADAY', quantity: '3', referencePrice: '1500',
    });
    expect(order.status).toBe('filled');
    expect(await api.services.brokers.client('paper', 'registry-test-account')).toBe(client);
  });
});

describe('a broken broker plugin', () => {
  it('should stop the start-up with an error naming the plugin and the problem', async () => {
    await expect(startTestApi({ BROKER_PLUGINS: INCOMPATIBLE })).rejects.toThrow(PluginLoadError);
    await expect(startTestApi({ BROKER_PLUGINS: INCOMPATIBLE })).rejects.toThrow(/future.*contract/i);
    await expect(startTestApi({ BROKER_PLUGINS: '@algodatta/broker-nonexistent' })).rejects.toThrow(/broker-nonexistent.*cannot be loaded/);
  });
});
