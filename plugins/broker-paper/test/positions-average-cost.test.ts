// Average-cost positions: adds, partial close, flip through zero, short cover, unrealized P&L

import { createTestDb, type TestDb } from './support/test-db';
import { paperFactory } from './support/paper-setup';
import type { PaperBrokerClient } from '../src';
import { applyFill } from '../src/position.calc';
import { D, ZERO } from '../src/decimal';

let db: TestDb;
let client: PaperBrokerClient;
const inst = { symbol: 'INFY', exchangeSegment: 'NSE_EQ' as const, lotSize: '1', tickSize: '0.05' };
let n = 0;
const trade = (side: 'BUY' | 'SELL', quantity: string, price: string) =>
  client.placeOrder({
    clientOrderId: `pos-${++n}`,
    instrument: inst,
    side,
    type: 'MARKET',
    product: 'INTRADAY',
    quantity,
    referencePrice: price,
  });
const position = async () => (await client.positions()).find((p) => p.instrument.symbol === 'INFY')!;

beforeAll(async () => {
  db = await createTestDb('positions');
  client = await paperFactory({ databaseUrl: db.url, slippageBps: '0' }).client('pos-acct');
});
afterAll(async () => {
  await client.close();
  await db.drop();
});

describe('average-cost position accounting', () => {
  it('buy 10 @ 100 then 10 @ 110 averages to 105', async () => {
    await trade('BUY', '10', '100');
    await trade('BUY', '10', '110');
    expect(await position()).toMatchObject({
      netQuantity: '20',
      averagePrice: '105',
      realizedPnl: '0.00',
      lastPrice: '110',
      unrealizedPnl: '100.00',
    });
  });

  it('partial close: sell 5 @ 120 realizes 5 x (120 - 105) = 75 and keeps the average', async () => {
    await trade('SELL', '5', '120');
    expect(await position()).toMatchObject({ netQuantity: '15', averagePrice: '105', realizedPnl: '75.00' });
  });

  it('flip long -> short: sell 25 @ 100 closes 15 (realizes -75) and opens 10 short at 100', async () => {
    await trade('SELL', '25', '100');
    expect(await position()).toMatchObject({
      netQuantity: '-10',
      averagePrice: '100',
      realizedPnl: '0.00',
      unrealizedPnl: '0.00',
    });
  });

  it('short cover: buy 4 @ 90 realizes 4 x (100 - 90) = 40; the open short gains (90 - 100) x -6 = 60', async () => {
    await trade('BUY', '4', '90');
    expect(await position()).toMatchObject({
      netQuantity: '-6',
      averagePrice: '100',
      realizedPnl: '40.00',
      unrealizedPnl: '60.00',
    });
  });

  it('flip short -> long: buy 10 @ 95 closes 6 (realizes +30) and opens 4 long at 95', async () => {
    await trade('BUY', '10', '95');
    const p = await position();
    expect(p).toMatchObject({ netQuantity: '4', averagePrice: '95', realizedPnl: '70.00' });
    // Charges accumulate separately from the gross realized P&L
    const fills = await client.listFills({ symbol: 'INFY' });
    const total = fills.reduce((s, f) => s.plus(f.fee!.total), new D(0));
    expect(p.charges).toBe(total.toFixed(2));
  });

  it('keeps a long average exact over uneven adds (pure calculation)', () => {
    let s = { netQuantity: ZERO, averagePrice: ZERO, realizedPnl: ZERO };
    s = applyFill(s, 'BUY', new D(3), new D('100'));
    s = applyFill(s, 'BUY', new D(1), new D('101'));
    expect(s.averagePrice.toFixed()).toBe('100.25');
    s = applyFill(s, 'SELL', new D(4), new D('100.25'));
    expect([s.netQuantity.toFixed(), s.averagePrice.toFixed(), s.realizedPnl.toFixed()]).toEqual(['0', '0', '0']);
  });
});
