import path from 'node:path';
import { PluginLoadError } from '@algodatta/broker-sdk';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register } from './harness/graphql-client';
import { captureLogs } from './fixtures/dhan/dhan-kit';

const EXAMPLE = path.resolve(__dirname, '../../examples/broker-example');
const INCOMPATIBLE = path.resolve(__dirname, 'fixtures/incompatible-broker.js');
const BROKERS =
  '{ brokers { name displayName version contractVersion requiredCredentials capabilities { placeOrder modifyOrder orderUpdates webhooks instrumentMaster fillsOnPlacement marketHours } features { orderTypes segments modifyPrice } } }';

describe('broker plugins loaded from config', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PLUGINS: `@algodatta/broker-dhan,${EXAMPLE}` });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should list paper, dhan and the example plugin with their capabilities', async () => {
    const user = await register(api.url, 'brokers@example.com');
    const res = await gql(api.url, BROKERS, undefined, user.accessToken);
    const byName = Object.fromEntries(res.data!.brokers.map((b: { name: string }) => [b.name, b]));
    expect(Object.keys(byName).sort()).toEqual(['dhan', 'example', 'paper']);
    expect(byName.paper.capabilities).toMatchObject({
      placeOrder: true,
      modifyOrder: true,
      fillsOnPlacement: true,
      marketHours: true,
      webhooks: false,
      instrumentMaster: false,
    });
    expect(byName.dhan.capabilities).toMatchObject({
      webhooks: true,
      instrumentMaster: true,
      fillsOnPlacement: false,
      marketHours: false,
    });
    expect(byName.paper.features.orderTypes).toEqual(expect.arrayContaining(['MARKET', 'LIMIT', 'SL', 'SL-M']));
    expect(byName.dhan.requiredCredentials).toEqual(expect.arrayContaining(['clientId', 'accessToken']));
    expect(byName.example).toMatchObject({
      displayName: 'Example Broker',
      capabilities: { modifyOrder: true, orderUpdates: 'stream', webhooks: true, instrumentMaster: true },
    });
  });

  it('should ask for a login to list brokers', async () => {
    expect(errorCode(await gql(api.url, BROKERS))).toBe('UNAUTHENTICATED');
  });

  it('should hand out working paper clients through the registry', async () => {
    const client = await api.services.brokers.client('paper', 'registry-test-account');
    const order = await client.placeOrder({
      clientOrderId: 'reg-test-1',
      instrument: { symbol: 'INFY', exchangeSegment: 'NSE_EQ' },
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '3',
      referencePrice: '1500',
    });
    expect(order.status).toBe('filled');
    expect(await api.services.brokers.client('paper', 'registry-test-account')).toBe(client);
  });
});

describe('what the registry says of the loaded plugins', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PLUGINS: `@algodatta/broker-dhan,${EXAMPLE}` });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should name the paper venue and the live brokers from their manifests', () => {
    const brokers = api.services.brokers;
    expect(brokers.paperBroker()).toBe('paper');
    expect(brokers.liveBrokers()).toEqual(['dhan', 'example']);
    expect(brokers.defaultLiveBroker()).toBe('dhan');
    expect([brokers.isLive('paper'), brokers.isLive('dhan'), brokers.isLive('nobody')]).toEqual([false, true, false]);
    expect([
      brokers.fillsOnPlacement('paper'),
      brokers.fillsOnPlacement('dhan'),
      brokers.fillsOnPlacement('example'),
    ]).toEqual([true, false, false]);
    expect(brokers.marketHours('paper')?.enforce).toBe(false);
    expect(brokers.marketHours('dhan')).toBeNull();
    expect(brokers.instrumentMasters().map((m) => m.broker)).toEqual(['dhan', 'example']);
    expect(brokers.webhookParser('paper')).toBeNull();
    expect(brokers.webhookParser('example')?.({ headers: {}, body: '{"order_id":"EX9"}' })).toEqual({
      ok: true,
      ref: { brokerOrderId: 'EX9' },
    });
  });
});

describe('plugin settings from the environment', () => {
  const optionsOf = (api: TestApi, name: string) =>
    api.services.brokers.plugin(name).options as Record<string, unknown>;

  it('should read BROKER_<NAME>_<OPTION>, typed by the plugin, under BROKER_PLUGIN_OPTIONS', async () => {
    const api = await startTestApi({
      BROKER_DHAN_BASE_URL: 'http://127.0.0.1:9/v2',
      BROKER_DHAN_TIMEOUT_MS: '2500',
      BROKER_DHAN_LOOKUP_BEFORE_PLACE: 'false',
      BROKER_PAPER_SLIPPAGE_BPS: '12',
      BROKER_PLUGIN_OPTIONS: JSON.stringify({ dhan: { timeoutMs: 3000 } }),
    });
    try {
      expect(optionsOf(api, 'dhan')).toMatchObject({
        baseUrl: 'http://127.0.0.1:9/v2',
        timeoutMs: 3000,
        lookupBeforePlace: false,
      });
      expect(optionsOf(api, 'paper')).toMatchObject({ slippageBps: '12', marketHours: 'ignore' });
    } finally {
      await api.close();
    }
  });

  it('should keep the old names working, with a warning that names the new one', async () => {
    const logs = captureLogs();
    let api: TestApi | undefined;
    try {
      api = await startTestApi({
        DHAN_BASE_URL: 'http://127.0.0.1:9/old',
        PAPER_SLIPPAGE_BPS: '7',
        BROKER_PAPER_MARKET_HOURS: '',
        PAPER_MARKET_HOURS: 'enforce',
      });
      expect(optionsOf(api, 'dhan').baseUrl).toBe('http://127.0.0.1:9/old');
      expect(optionsOf(api, 'paper')).toMatchObject({ slippageBps: '7', marketHours: 'enforce' });
    } finally {
      logs.stop();
      await api?.close();
    }
    const warnings = logs
      .text()
      .split('\n')
      .filter((l) => l.includes('deprecated setting'))
      .map((l) => JSON.parse(l) as { setting: string; use: string });
    expect(warnings.map((w) => [w.setting, w.use]).sort()).toEqual([
      ['DHAN_BASE_URL', 'BROKER_DHAN_BASE_URL'],
      ['PAPER_MARKET_HOURS', 'BROKER_PAPER_MARKET_HOURS'],
      ['PAPER_SLIPPAGE_BPS', 'BROKER_PAPER_SLIPPAGE_BPS'],
    ]);
  });

  it('should refuse a bad value with the plugin and the option named', async () => {
    await expect(startTestApi({ BROKER_DHAN_TIMEOUT_MS: 'soon' })).rejects.toThrow(
      /"dhan" cannot be loaded: options\.timeoutMs/,
    );
    await expect(startTestApi({ BROKER_PAPER_MARKET_HOURS: 'sometimes' })).rejects.toThrow(
      /"paper" cannot be loaded: options\.marketHours/,
    );
  });
});

describe('a broken broker plugin', () => {
  it('should stop the start-up with an error naming the plugin and the problem', async () => {
    await expect(startTestApi({ BROKER_PLUGINS: INCOMPATIBLE })).rejects.toThrow(PluginLoadError);
    await expect(startTestApi({ BROKER_PLUGINS: INCOMPATIBLE })).rejects.toThrow(/future.*contract/i);
    await expect(startTestApi({ BROKER_PLUGINS: '@algodatta/broker-nonexistent' })).rejects.toThrow(
      /broker-nonexistent.*cannot be loaded/,
    );
  });
});
