// The conformance suite run against the tiny example plugin: proves the suite drives any plugin
import path from 'node:path';
import { loadBrokerPlugin, type BrokerClient } from '@algodatta/broker-sdk';
import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'example-broker', 'index.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require(EXAMPLE);
const loaded = loadBrokerPlugin(plugin, { validApiKey: 'good' });
type ExampleClient = BrokerClient & { setPrice(p: string): void; redeliverLastFill(): void };
const live = new Set<ExampleClient>();
let accounts = 0;

const ctx = (apiKey: string) => ({
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  clock: { now: () => Date.now() },
  accountId: `acc-${++accounts}`,
  credentials: { apiKey },
});

runBrokerConformance({
  harness: {
    plugin,
    pluginOptions: { validApiKey: 'good' },
    instrument: { symbol: 'SBIN', exchangeSegment: 'NSE_EQ', lotSize: '1', tickSize: '0.05' },
    async createClient() {
      const c = (await loaded.createClient(ctx('good'))) as ExampleClient;
      live.add(c);
      const close = c.close.bind(c);
      c.close = async () => {
        live.delete(c);
        await close();
      };
      return c;
    },
    createClientWithBadCredentials: () => loaded.createClient(ctx('bad')),
    // The example keeps prices per client, so move every open client's market
    async setMarketPrice(_i, price) {
      live.forEach((c) => c.setPrice(price));
    },
    async redeliverLastUpdate() {
      live.forEach((c) => c.redeliverLastFill());
    },
    settle: () => new Promise((r) => setTimeout(r, 5)),
    timeoutMs: 1000,
  },
});
