// Net P&L of a round trip through the real engine and database: gross - every charge line

import { createTestDb, type TestDb } from './support/test-db';
import { paperFactory } from './support/paper-setup';
import type { PaperBrokerClient } from '../src';

let db: TestDb;
let client: PaperBrokerClient;
const inst = { symbol: 'TCS', exchangeSegment: 'NSE_EQ' as const, lotSize: '1', tickSize: '0.05' };

beforeAll(async () => {
  db = await createTestDb('roundtrip');
  client = await paperFactory({ databaseUrl: db.url, slippageBps: '0', initialCapital: '100000' }).client('rt-1');
});
afterAll(async () => {
  await client.close();
  await db.drop();
});

describe('NSE_EQ intraday round trip', () => {
  it('buy 10 @ 100, sell 10 @ 105: gross 50.00, charges 0.42 + 0.67, net 48.91', async () => {
    const buy = await client.placeOrder({
      clientOrderId: 'rt-buy',
      instrument: inst,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '10',
      referencePrice: '100',
    });
    const sell = await client.placeOrder({
      clientOrderId: 'rt-sell',
      instrument: inst,
      side: 'SELL',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '10',
      referencePrice: '105',
    });
    expect([buy.status, buy.averagePrice, sell.status, sell.averagePrice]).toEqual(['filled', '100', 'filled', '105']);

    const fills = await client.listFills();
    const byOrder = Object.fromEntries(fills.map((f) => [f.clientOrderId, f.fee]));
    expect(byOrder['rt-buy']).toEqual({
      currency: 'INR',
      total: '0.42',
      breakdown: { brokerage: '0.30', stt: '0.00', exchange: '0.03', sebi: '0.00', stampDuty: '0.03', gst: '0.06' },
    });
    expect(byOrder['rt-sell']).toEqual({
      currency: 'INR',
      total: '0.67',
      breakdown: { brokerage: '0.32', stt: '0.26', exchange: '0.03', sebi: '0.00', stampDuty: '0.00', gst: '0.06' },
    });

    const [pos] = await client.positions();
    expect(pos).toMatchObject({
      netQuantity: '0',
      averagePrice: '0',
      realizedPnl: '50.00',
      charges: '1.09',
      unrealizedPnl: '0.00',
    });
    expect((pos.raw as { netRealizedPnl: string }).netRealizedPnl).toBe('48.91');

    const funds = await client.funds();
    // 100000 + 50 - 1.09, nothing open
    expect(funds).toMatchObject({ total: '100048.91', used: '0.00', available: '100048.91' });
  });
});
