// Intraday square-off and DAY expiry, on a controlled clock (IST session times)

import { Client } from 'pg';
import { createTestDb, type TestDb } from './support/test-db';
import { paperFactory } from './support/paper-setup';
import { PAPER_SESSION_END, PAPER_SQUARE_OFF_TIMES, type PaperBrokerClient } from '../src';

// 2026-11-26 10:00 IST = 04:30 UTC
const T10_00_IST = Date.parse('2026-11-26T04:30:00Z');
const at = (hhmmIst: string, day = '2026-11-26') => Date.parse(`${day}T${hhmmIst}:00+05:30`);
let now = T10_00_IST;
const clock = { now: () => now };

let db: TestDb;
let factory: ReturnType<typeof paperFactory>;
const opened: PaperBrokerClient[] = [];
const sbin = { symbol: 'SBIN', exchangeSegment: 'NSE_EQ' as const, lotSize: '1', tickSize: '0.05' };
const crude = {
  symbol: 'CRUDEOIL-Dec2026-FUT',
  exchangeSegment: 'MCX_COMM' as const,
  lotSize: '100',
  tickSize: '1',
  instrumentType: 'FUTURE' as const,
};

async function client(id: string): Promise<PaperBrokerClient> {
  const c = await factory.client(id);
  opened.push(c);
  return c;
}

beforeAll(async () => {
  db = await createTestDb('sessions');
  factory = paperFactory({ databaseUrl: db.url, slippageBps: '0' }, clock);
});
afterAll(async () => {
  for (const c of opened) await c.close();
  await db.drop();
});
beforeEach(() => {
  now = T10_00_IST;
});

describe('default schedules exported as data', () => {
  it('square off NSE/BSE equity and F&O at 15:15 IST and MCX at 23:25 IST', () => {
    expect(PAPER_SQUARE_OFF_TIMES.find((s) => s.segments.includes('NSE_EQ'))).toMatchObject({
      time: '15:15',
      timezone: 'Asia/Kolkata',
    });
    expect(PAPER_SQUARE_OFF_TIMES.find((s) => s.segments.includes('NSE_FNO'))?.time).toBe('15:15');
    expect(PAPER_SQUARE_OFF_TIMES.find((s) => s.segments.includes('MCX_COMM'))?.time).toBe('23:25');
    expect(PAPER_SESSION_END.NSE_EQ).toBe('15:30');
  });
});

describe('intraday square-off', () => {
  it('closes INTRADAY NSE positions at the last price, cancels open INTRADAY orders, leaves CNC and MCX alone', async () => {
    const c = await client('sq-1');
    await c.placeOrder({
      clientOrderId: 'sq1-long',
      instrument: sbin,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '10',
      referencePrice: '800',
    });
    await c.placeOrder({
      clientOrderId: 'sq1-cnc',
      instrument: sbin,
      side: 'BUY',
      type: 'MARKET',
      product: 'CNC',
      quantity: '5',
      referencePrice: '800',
    });
    await c.placeOrder({
      clientOrderId: 'sq1-mcx',
      instrument: crude,
      side: 'SELL',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '100',
      referencePrice: '6000',
    });
    await c.placeOrder({
      clientOrderId: 'sq1-limit',
      instrument: sbin,
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '3',
      price: '700',
    });
    now = at('15:15');
    await c.updatePrice(sbin, '812');

    const r = await c.squareOff({ exchange: 'NSE' });
    expect(r.cancelled.map((o) => o.clientOrderId)).toEqual(['sq1-limit']);
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({
      side: 'SELL',
      quantity: '10',
      status: 'filled',
      averagePrice: '812',
      product: 'INTRADAY',
    });
    const pos = await c.positions();
    const net = (sym: string, product: string) =>
      pos.find((p) => p.instrument.symbol === sym && p.product === product)?.netQuantity;
    expect(net('SBIN', 'INTRADAY')).toBe('0');
    expect(net('SBIN', 'CNC')).toBe('5');
    expect(net('CRUDEOIL-Dec2026-FUT', 'INTRADAY')).toBe('-100');
    expect(pos.find((p) => p.instrument.symbol === 'SBIN' && p.product === 'INTRADAY')?.realizedPnl).toBe('120.00');
  });

  it('MCX square-off buys back the short; allAccounts closes every account', async () => {
    const a = await client('sq-2a');
    const b = await client('sq-2b');
    await a.placeOrder({
      clientOrderId: 'sq2-a',
      instrument: crude,
      side: 'SELL',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '200',
      referencePrice: '6000',
    });
    await b.placeOrder({
      clientOrderId: 'sq2-b',
      instrument: crude,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '100',
      referencePrice: '6000',
    });
    now = at('23:25');
    await a.updatePrice(crude, '5990');
    const r = await a.squareOff({ segments: ['MCX_COMM'], allAccounts: true });
    const mine = r.orders
      .filter((o) => o.accountId === 'sq-2a' || o.accountId === 'sq-2b')
      .map((o) => [o.accountId, o.side, o.quantity]);
    expect(mine).toEqual(
      expect.arrayContaining([
        ['sq-2a', 'BUY', '200'],
        ['sq-2b', 'SELL', '100'],
      ]),
    );
    for (const c of [a, b]) expect((await c.positions()).every((p) => p.netQuantity === '0')).toBe(true);
    // Short 200 from 6000 covered at 5990: +2000 gross
    expect((await a.positions())[0].realizedPnl).toBe('2000.00');
  });

  it('skips (and reports) a position whose price is unknown', async () => {
    const f = paperFactory({ databaseUrl: db.url, slippageBps: '0' }, clock);
    const own = await f.client('sq-3');
    const ghost = { ...sbin, symbol: 'GHOST' };
    await own.placeOrder({
      clientOrderId: 'sq3',
      instrument: ghost,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '1',
      referencePrice: '10',
    });
    // Lose the price: delete it from the table, and start a fresh engine so the in-memory copy is gone too
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query("DELETE FROM paper_prices WHERE symbol = 'GHOST'");
    await pg.end();
    for (const c of opened.splice(0)) await c.close();
    await own.close();
    const fresh = await client('sq-3');
    const r = await fresh.squareOff({ segments: ['NSE_EQ'], now: at('15:15') });
    expect(r.orders).toEqual([]);
    expect(r.skipped).toEqual([
      { accountId: 'sq-3', symbol: 'GHOST', exchangeSegment: 'NSE_EQ', reason: 'no price known' },
    ]);
    expect((await fresh.positions())[0].netQuantity).toBe('1');
  });
});

describe('DAY validity', () => {
  it('an NSE DAY limit is still open at 15:29 IST and expires at the 15:30 session end; MCX stays until its session ends', async () => {
    const c = await client('day-1');
    await c.updatePrice(sbin, '800');
    await c.updatePrice(crude, '6000');
    const nse = await c.placeOrder({
      clientOrderId: 'day-nse',
      instrument: sbin,
      side: 'BUY',
      type: 'LIMIT',
      product: 'CNC',
      quantity: '1',
      price: '700',
    });
    const mcx = await c.placeOrder({
      clientOrderId: 'day-mcx',
      instrument: crude,
      side: 'BUY',
      type: 'LIMIT',
      product: 'MARGIN',
      quantity: '100',
      price: '5000',
    });
    expect(await c.expireDayOrders(at('15:29'))).toEqual([]);
    const expired = await c.expireDayOrders(at('15:30'));
    expect(expired.map((o) => [o.clientOrderId, o.status])).toEqual([[nse.clientOrderId, 'expired']]);
    expect((await c.getOrder({ clientOrderId: mcx.clientOrderId })).status).toBe('open');
    expect((await c.expireDayOrders(at('23:55'))).map((o) => o.clientOrderId)).toEqual([mcx.clientOrderId]);
  });

  it('an order left from a previous day expires on the next check', async () => {
    const c = await client('day-2');
    await c.updatePrice(sbin, '800');
    await c.placeOrder({
      clientOrderId: 'day-old',
      instrument: sbin,
      side: 'BUY',
      type: 'LIMIT',
      product: 'CNC',
      quantity: '1',
      price: '700',
    });
    expect((await c.expireDayOrders(at('09:00', '2026-11-27'))).map((o) => o.clientOrderId)).toEqual(['day-old']);
  });
});
