// The SDK conformance suite against the paper broker (the reference implementation: every card must pass)

import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';
import type { BrokerClient, Instrument } from '@algodatta/broker-sdk';
import * as paperModule from '../src';
import type { PaperBrokerClient } from '../src';
import { createTestDb, type TestDb } from './support/test-db';
import { newAccountId, paperFactory } from './support/paper-setup';

const instrument: Instrument = {
  symbol: 'SBIN',
  exchangeSegment: 'NSE_EQ',
  securityId: '3045',
  lotSize: '1',
  tickSize: '0.05',
  instrumentType: 'EQUITY',
};
let db: TestDb;
let factory: ReturnType<typeof paperFactory>;
let market: PaperBrokerClient;
const clients = new Set<PaperBrokerClient>();

beforeAll(async () => {
  db = await createTestDb('conformance');
  factory = paperFactory({ databaseUrl: db.url, slippageBps: '5', instruments: [instrument] });
  // A separate account that only moves the market
  market = await factory.client('market-maker');
});

async function tracked(accountId?: string, ordersPerSecond?: number): Promise<PaperBrokerClient> {
  const f = ordersPerSecond
    ? paperFactory({ databaseUrl: db.url, instruments: [instrument], ordersPerSecond })
    : factory;
  const c = await f.client(accountId ?? newAccountId('conf'));
  clients.add(c);
  return c;
}

runBrokerConformance({
  harness: {
    plugin: paperModule,
    get pluginOptions() {
      return { databaseUrl: db.url };
    },
    instrument,
    basePrice: '800',
    createClient: () => tracked(),
    setMarketPrice: async (i, price) => {
      await market.updatePrice(i, price);
    },
    triggerRateLimit: async (client: BrokerClient) => {
      // Same account, a client configured like DhanHQ's per-second limit but at 2/s
      const throttled = await tracked(client.accountId, 2);
      try {
        for (let i = 0; i < 3; i++) {
          await throttled.placeOrder({
            clientOrderId: `rl-${Date.now().toString(36)}-${i}`,
            instrument,
            side: 'BUY',
            type: 'LIMIT',
            product: 'INTRADAY',
            quantity: '1',
            price: '1',
          });
        }
      } finally {
        await throttled.close();
      }
    },
    redeliverLastUpdate: async () => {
      for (const c of clients) c.redeliverLastUpdate();
    },
    settle: () => new Promise((r) => setTimeout(r, 20)),
    timeoutMs: 3000,
    teardown: async () => {
      for (const c of clients) await c.close();
      await market.close();
      await db.drop();
    },
  },
});
