// Fill model: slippage, tick rounding, limits, stops, IOC, lot multiples, price sources

import { InvalidOrderError, RejectedError, type OrderRequest } from '@algodatta/broker-sdk';
import { createTestDb, type TestDb } from './support/test-db';
import { newAccountId, paperFactory } from './support/paper-setup';
import type { PaperBrokerClient } from '../src';

let db: TestDb;
let factory: ReturnType<typeof paperFactory>;
let flat: ReturnType<typeof paperFactory>;
const opened: PaperBrokerClient[] = [];
const eq = (symbol: string) => ({ symbol, exchangeSegment: 'NSE_EQ' as const, lotSize: '1', tickSize: '0.05' });
const nifty = {
  symbol: 'NIFTY-Dec2026-FUT',
  exchangeSegment: 'NSE_FNO' as const,
  lotSize: '75',
  tickSize: '0.1',
  instrumentType: 'FUTURE' as const,
};
let n = 0;
const req = (over: Partial<OrderRequest> & Pick<OrderRequest, 'instrument'>): OrderRequest => ({
  clientOrderId: `m-${++n}`,
  side: 'BUY',
  type: 'MARKET',
  product: 'INTRADAY',
  quantity: '1',
  ...over,
});

async function client(f = factory, extra = {}): Promise<PaperBrokerClient> {
  const c = await f.client(newAccountId('match'), extra);
  opened.push(c);
  return c;
}

beforeAll(async () => {
  db = await createTestDb('matching');
  factory = paperFactory({ databaseUrl: db.url, slippageBps: '10' });
  flat = paperFactory({ databaseUrl: db.url, slippageBps: '0' });
});
afterAll(async () => {
  for (const c of opened) await c.close();
  await db.drop();
});

describe('MARKET fills', () => {
  it('moves 10 bps against the buyer and rounds up to the tick: 100 -> 100.10, 101.03 -> 101.15', async () => {
    const c = await client();
    expect((await c.placeOrder(req({ instrument: eq('S1'), referencePrice: '100' }))).averagePrice).toBe('100.1');
    expect((await c.placeOrder(req({ instrument: eq('S1'), referencePrice: '101.03' }))).averagePrice).toBe('101.15');
  });

  it('moves 10 bps against the seller and rounds down to the tick: 100 -> 99.90, 101.03 -> 100.90', async () => {
    const c = await client();
    expect((await c.placeOrder(req({ instrument: eq('S2'), side: 'SELL', referencePrice: '100' }))).averagePrice).toBe(
      '99.9',
    );
    expect(
      (await c.placeOrder(req({ instrument: eq('S2'), side: 'SELL', referencePrice: '101.03' }))).averagePrice,
    ).toBe('100.9');
  });

  it('without a reference price uses the last known price from updatePrice', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('S3'), '250');
    expect((await c.placeOrder(req({ instrument: eq('S3') }))).averagePrice).toBe('250');
  });

  it('uses the quote source from the context when one is given', async () => {
    const c = await client(flat, { quotes: { lastPrice: () => '321.5' } });
    expect((await c.placeOrder(req({ instrument: eq('S4') }))).averagePrice).toBe('321.5');
    // The order's reference price still wins over the quote source
    expect((await c.placeOrder(req({ instrument: eq('S4'), referencePrice: '300' }))).averagePrice).toBe('300');
  });

  it('with no price known is rejected with a clear message, never filled at 0', async () => {
    const c = await client();
    const p = c.placeOrder(req({ instrument: eq('NEVER-SEEN') }));
    await expect(p).rejects.toBeInstanceOf(RejectedError);
    await expect(p).rejects.toThrow(/no price known for NSE_EQ:NEVER-SEEN/);
    expect(await c.listOrders()).toHaveLength(0);
  });
});

describe('LIMIT orders', () => {
  it('rest until a later price crosses them, then fill at the limit', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('L1'), '100');
    const o = await c.placeOrder(req({ instrument: eq('L1'), type: 'LIMIT', price: '95' }));
    expect(o.status).toBe('open');
    expect(await c.updatePrice(eq('L1'), '96')).toHaveLength(0);
    const filled = await c.updatePrice(eq('L1'), '94.5');
    expect(filled.map((x) => [x.clientOrderId, x.status, x.averagePrice])).toEqual([[o.clientOrderId, 'filled', '95']]);
  });

  it("are crossed by another order's reference price, also on another account", async () => {
    const resting = await client(flat);
    const other = await client(flat);
    await resting.updatePrice(eq('L2'), '100');
    const o = await resting.placeOrder(req({ instrument: eq('L2'), side: 'SELL', type: 'LIMIT', price: '104' }));
    await other.placeOrder(req({ instrument: eq('L2'), referencePrice: '104.2' }));
    expect(await resting.getOrder({ clientOrderId: o.clientOrderId })).toMatchObject({
      status: 'filled',
      averagePrice: '104',
    });
  });

  it('fill at the market (capped by the limit) when marketable on entry', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('L3'), '100');
    expect(await c.placeOrder(req({ instrument: eq('L3'), type: 'LIMIT', price: '105' }))).toMatchObject({
      status: 'filled',
      averagePrice: '100',
    });
  });

  it('round the price to the tick: 100.03 -> 100.05, 100.02 -> 100', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('L4'), '200');
    expect((await c.placeOrder(req({ instrument: eq('L4'), type: 'LIMIT', price: '100.03' }))).price).toBe('100.05');
    expect((await c.placeOrder(req({ instrument: eq('L4'), type: 'LIMIT', price: '100.02' }))).price).toBe('100');
  });

  it('IOC that is not marketable is cancelled at once', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('L5'), '100');
    expect(
      await c.placeOrder(req({ instrument: eq('L5'), type: 'LIMIT', price: '90', timeInForce: 'IOC' })),
    ).toMatchObject({ status: 'cancelled' });
  });

  it('ignore an older price that arrives late', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('L6'), '100', 2_000);
    const o = await c.placeOrder(req({ instrument: eq('L6'), type: 'LIMIT', price: '95' }));
    expect(await c.updatePrice(eq('L6'), '90', 1_000)).toHaveLength(0);
    expect((await c.getOrder({ clientOrderId: o.clientOrderId })).status).toBe('open');
    expect(await c.lastPrice(eq('L6'))).toBe('100');
  });
});

describe('stop orders', () => {
  it('SL-M sell triggers when the price reaches the trigger and fills at that market price', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('T1'), '100');
    const o = await c.placeOrder(req({ instrument: eq('T1'), side: 'SELL', type: 'SL-M', triggerPrice: '95' }));
    expect(o.status).toBe('open');
    await c.updatePrice(eq('T1'), '95.05');
    expect((await c.getOrder({ clientOrderId: o.clientOrderId })).status).toBe('open');
    await c.updatePrice(eq('T1'), '95');
    expect(await c.getOrder({ clientOrderId: o.clientOrderId })).toMatchObject({
      status: 'filled',
      averagePrice: '95',
    });
  });

  it('SL buy triggers at 105 and fills at the market capped by its limit 106', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('T2'), '100');
    const o = await c.placeOrder(req({ instrument: eq('T2'), type: 'SL', triggerPrice: '105', price: '106' }));
    await c.updatePrice(eq('T2'), '105.5');
    expect(await c.getOrder({ clientOrderId: o.clientOrderId })).toMatchObject({
      status: 'filled',
      averagePrice: '105.5',
    });
  });

  it('SL buy that gaps past its limit stays open (triggered) until the price comes back to the limit', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('T3'), '100');
    const o = await c.placeOrder(req({ instrument: eq('T3'), type: 'SL', triggerPrice: '105', price: '105.2' }));
    await c.updatePrice(eq('T3'), '107');
    const mid = await c.getOrder({ clientOrderId: o.clientOrderId });
    expect([mid.status, (mid.raw as { triggered: boolean }).triggered]).toEqual(['open', true]);
    await c.updatePrice(eq('T3'), '105.1');
    expect(await c.getOrder({ clientOrderId: o.clientOrderId })).toMatchObject({
      status: 'filled',
      averagePrice: '105.2',
    });
  });

  it('a stop whose trigger the market already passed is refused', async () => {
    const c = await client(flat);
    await c.updatePrice(eq('T4'), '100');
    await expect(
      c.placeOrder(req({ instrument: eq('T4'), side: 'SELL', type: 'SL-M', triggerPrice: '101' })),
    ).rejects.toThrow(/already crossed/);
  });
});

describe('derivative lots', () => {
  it('rejects a quantity that is not a multiple of the lot size with InvalidOrderError', async () => {
    const c = await client();
    const p = c.placeOrder(req({ instrument: nifty, product: 'MARGIN', quantity: '50', referencePrice: '24000' }));
    await expect(p).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(p).rejects.toThrow(/not a multiple of the lot size 75/);
  });

  it('fills two lots (150) on a 0.1 tick: 24000 + 10 bps = 24024', async () => {
    const c = await client();
    const o = await c.placeOrder(
      req({ instrument: nifty, product: 'MARGIN', quantity: '150', referencePrice: '24000' }),
    );
    expect(o).toMatchObject({ status: 'filled', filledQuantity: '150', averagePrice: '24024' });
  });
});
