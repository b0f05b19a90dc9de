// has.marketData on paper: the prices it is fed (updatePrice, an order's referencePrice) stream to subscribers
import type { Tick } from '@algodatta/broker-sdk';
import type { PaperBrokerClient } from '../src';
import { createTestDb, type TestDb } from './support/test-db';
import { newAccountId, paperFactory } from './support/paper-setup';

const SBIN = { symbol: 'SBIN', exchangeSegment: 'NSE_EQ' as const };
let db: TestDb;
let a: PaperBrokerClient;
let b: PaperBrokerClient;

beforeAll(async () => {
  db = await createTestDb('quotes');
  const f = paperFactory({ databaseUrl: db.url });
  a = await f.client(newAccountId('qa'));
  b = await f.client(newAccountId('qb'));
});
afterAll(async () => {
  await a.close();
  await b.close();
  await db.drop();
});

const until = async (check: () => boolean) => {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('paper quotes', () => {
  it('should send the last known price first, then every change fed by any client, and stop on unsubscribe', async () => {
    await b.updatePrice(SBIN, '800');
    const ticks: Tick[] = [];
    const stop = a.subscribeQuotes([SBIN], (t) => ticks.push(t));
    await until(() => ticks.length === 1);
    expect(ticks[0]).toMatchObject({ broker: 'paper', instrument: SBIN, lastPrice: '800' });
    await b.updatePrice(SBIN, '801.5');
    // An alert's price is market data too
    await b.placeOrder({
      clientOrderId: `q-${Date.now().toString(36)}`,
      instrument: SBIN,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '1',
      referencePrice: '802',
    });
    await until(() => ticks.length === 3);
    expect(ticks.map((t) => t.lastPrice)).toEqual(['800', '801.5', '802']);
    stop();
    stop();
    await b.updatePrice(SBIN, '803');
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toHaveLength(3);
  });
});
