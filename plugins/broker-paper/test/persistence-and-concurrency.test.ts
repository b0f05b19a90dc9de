// State survives a restart; one pool per database; concurrent orders on one account keep positions exact

import { loadBrokerPlugin, PluginLoadError } from '@algodatta/broker-sdk';
import { Client } from 'pg';
import { createTestDb, type TestDb } from './support/test-db';
import { paperFactory } from './support/paper-setup';
import * as paperModule from '../src';
import { openPaperPools } from '../src';

let db: TestDb;
const sbin = { symbol: 'SBIN', exchangeSegment: 'NSE_EQ' as const, lotSize: '1', tickSize: '0.05' };

beforeAll(async () => {
  db = await createTestDb('persist');
});
afterAll(async () => {
  await db.drop();
});

describe('restart persistence', () => {
  it('keeps open orders, positions and prices after every client closed (pool ended) and a new one started', async () => {
    const first = await paperFactory({ databaseUrl: db.url, slippageBps: '0' }).client('persist-1');
    await first.placeOrder({
      clientOrderId: 'p-fill',
      instrument: sbin,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '7',
      referencePrice: '800',
    });
    await first.placeOrder({
      clientOrderId: 'p-rest',
      instrument: sbin,
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '3',
      price: '790',
    });
    await first.close();
    expect(openPaperPools()).toBe(0);

    const second = await paperFactory({ databaseUrl: db.url, slippageBps: '0' }).client('persist-1');
    try {
      expect((await second.getOrder({ clientOrderId: 'p-rest' })).status).toBe('open');
      expect(await second.lastPrice(sbin)).toBe('800');
      expect((await second.positions())[0]).toMatchObject({ netQuantity: '7', averagePrice: '800' });
      await second.updatePrice(sbin, '789');
      expect((await second.getOrder({ clientOrderId: 'p-rest' })).status).toBe('filled');
      expect((await second.positions())[0]).toMatchObject({ netQuantity: '10', averagePrice: '797' });
      // A used clientOrderId stays used across the restart
      await expect(
        second.placeOrder({
          clientOrderId: 'p-fill',
          instrument: sbin,
          side: 'BUY',
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: '1',
          referencePrice: '800',
        }),
      ).rejects.toThrow(/already used/);
    } finally {
      await second.close();
    }
  });
});

describe('shared pool', () => {
  it('uses one pool per databaseUrl and ends it when the last client closes', async () => {
    const f = paperFactory({ databaseUrl: db.url });
    const a = await f.client('pool-a');
    const b = await f.client('pool-b');
    expect(openPaperPools()).toBe(1);
    await a.close();
    await a.close();
    expect(openPaperPools()).toBe(1);
    expect((await b.funds()).total).toBe('1000000.00');
    await b.close();
    expect(openPaperPools()).toBe(0);
  });
});

describe('concurrency', () => {
  it('40 concurrent orders from two clients on one account leave an exact position', async () => {
    const f = paperFactory({ databaseUrl: db.url, slippageBps: '0' });
    const a = await f.client('conc-1');
    const b = await f.client('conc-1');
    try {
      const orders = Array.from({ length: 40 }, (_, i) => {
        const c = i % 2 === 0 ? a : b;
        const side = i % 4 < 3 ? ('BUY' as const) : ('SELL' as const);
        return c.placeOrder({
          clientOrderId: `conc-${i}`,
          instrument: sbin,
          side,
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: String(i + 1),
          referencePrice: '100',
        });
      });
      const done = await Promise.all(orders);
      expect(done.every((o) => o.status === 'filled')).toBe(true);
      const buys = done.filter((o) => o.side === 'BUY').reduce((s, o) => s + Number(o.quantity), 0);
      const sells = done.filter((o) => o.side === 'SELL').reduce((s, o) => s + Number(o.quantity), 0);
      const [pos] = await a.positions();
      expect(pos.netQuantity).toBe(String(buys - sells));
      // Every price was 100, so whatever the interleaving: average 100 and nothing realized
      expect([pos.averagePrice, pos.realizedPnl]).toEqual(['100', '0.00']);
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const r = await pg.query(
        "SELECT buy_quantity::text AS b, sell_quantity::text AS s FROM paper_positions WHERE account_id = 'conc-1'",
      );
      await pg.end();
      expect(r.rows[0]).toEqual({ b: String(buys), s: String(sells) });
      expect(await a.listFills()).toHaveLength(40);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps a position exact when two processes (two engines) take turns writing it', async () => {
    // Distinct URLs give distinct engines, as two api processes would have: each knows only what it wrote itself
    const a = await paperFactory({ databaseUrl: `${db.url}?application_name=proc-a`, slippageBps: '0' }).client(
      'turns-1',
    );
    const b = await paperFactory({ databaseUrl: `${db.url}?application_name=proc-b`, slippageBps: '0' }).client(
      'turns-1',
    );
    try {
      expect(openPaperPools()).toBe(2);
      const steps = [
        ['BUY', '10', '100'],
        ['BUY', '10', '110'],
        ['SELL', '5', '120'],
        ['BUY', '3', '90'],
        ['SELL', '30', '100'],
        ['BUY', '12', '95'],
      ] as const;
      for (const [i, [side, quantity, price]] of steps.entries()) {
        const c = i % 2 === 0 ? a : b;
        await c.placeOrder({
          clientOrderId: `turns-${i}`,
          instrument: sbin,
          side,
          type: 'MARKET',
          product: 'INTRADAY',
          quantity,
          referencePrice: price,
        });
      }
      // By hand: +10@100, +10@110 (avg 105), -5@120 (+75), +3@90 (18 @ 102.5), -30@100 (-45 on 18, short 12 @ 100), +12@95 (+60)
      const [pos] = await a.positions();
      expect([pos.netQuantity, pos.realizedPnl]).toEqual(['0', '90.00']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two concurrent placements with the same clientOrderId create exactly one order', async () => {
    const f = paperFactory({ databaseUrl: db.url });
    const a = await f.client('dup-1');
    try {
      const r = await Promise.allSettled(
        [0, 1].map(() =>
          a.placeOrder({
            clientOrderId: 'same-id',
            instrument: sbin,
            side: 'BUY',
            type: 'MARKET',
            product: 'INTRADAY',
            quantity: '1',
            referencePrice: '100',
          }),
        ),
      );
      expect(r.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await a.listOrders()).toHaveLength(1);
    } finally {
      await a.close();
    }
  });
});

describe('loading', () => {
  it('refuses to load without a databaseUrl, naming the plugin and the option', () => {
    expect(() => loadBrokerPlugin(paperModule, {})).toThrow(PluginLoadError);
    expect(() => loadBrokerPlugin(paperModule, {})).toThrow(
      /Broker plugin "paper" cannot be loaded: options.databaseUrl/,
    );
  });

  it('declares itself a paper broker with every order type', () => {
    const loaded = loadBrokerPlugin(paperModule, { databaseUrl: db.url });
    expect(loaded.manifest).toMatchObject({ name: 'paper', paper: true, requiredCredentials: [] });
    expect(loaded.manifest.features.orderTypes).toEqual(['MARKET', 'LIMIT', 'SL', 'SL-M']);
  });
});
