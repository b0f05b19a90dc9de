// POST /orders/slicing (has.sliceOrders), the exchange algo id on orders, and SL-M only where Dhan takes it
import { InvalidOrderError, loadBrokerPlugin } from '@algodatta/broker-sdk';
import type { DhanBrokerClient, DhanSimulator } from '../src';
import { parseDhanOrder, plugin } from '../src';
import {
  CLIENT_ID,
  RELIANCE,
  TOKEN,
  clientFor,
  ctxFor,
  newId,
  optionsFor,
  startSim,
  waitUntil,
} from './helpers/dhan-test-kit';
import orderById from './fixtures/http/get-order-by-id.json';

const NIFTY_FUT = {
  symbol: 'NIFTY-Jun2026-FUT',
  exchangeSegment: 'NSE_FNO' as const,
  securityId: '62329',
  lotSize: '75',
};
const NATGAS = {
  symbol: 'NATURALGAS-25Jun2026-FUT',
  exchangeSegment: 'MCX_COMM' as const,
  securityId: '504265',
  lotSize: '1',
};

let sim: DhanSimulator;
let client: DhanBrokerClient;
beforeEach(async () => {
  sim = await startSim({ freezeQuantities: { 62329: 1800 }, prices: { 62329: '24000' }, initialBalance: '1000000000' });
  client = await clientFor(sim);
});
afterEach(async () => {
  await client.close();
  await sim.close();
});

describe('Dhan order slicing', () => {
  it('should POST the place body to /orders/slicing and return one order per leg, all of one clientOrderId', async () => {
    const id = newId('slc');
    const legs = await client.placeSlicedOrder({
      clientOrderId: id,
      instrument: NIFTY_FUT,
      side: 'BUY',
      type: 'LIMIT',
      product: 'MARGIN',
      quantity: '3750',
      price: '23900',
    });
    const r = sim.requests.filter((x) => x.path === '/orders/slicing').pop()!;
    expect(r.body).toMatchObject({
      dhanClientId: CLIENT_ID,
      correlationId: id,
      securityId: '62329',
      exchangeSegment: 'NSE_FNO',
      quantity: 3750,
      orderType: 'LIMIT',
      price: 23900,
      validity: 'DAY',
    });
    expect(legs.map((l) => l.quantity)).toEqual(['1800', '1800', '150']);
    expect(legs.every((l) => l.clientOrderId === id && l.status !== 'rejected')).toBe(true);
    expect(new Set(legs.map((l) => l.brokerOrderId)).size).toBe(3);
    await waitUntil(async () => (await client.listOrders({ status: ['open'] })).length === 3);
  });

  it('should return a single leg below the freeze limit, and refuse a quantity off the lot size before sending', async () => {
    const legs = await client.placeSlicedOrder({
      clientOrderId: newId('slc'),
      instrument: NIFTY_FUT,
      side: 'BUY',
      type: 'LIMIT',
      product: 'MARGIN',
      quantity: '750',
      price: '23900',
    });
    expect(legs).toHaveLength(1);
    const before = sim.requests.length;
    await expect(
      client.placeSlicedOrder({
        clientOrderId: newId('slc'),
        instrument: NIFTY_FUT,
        side: 'BUY',
        type: 'LIMIT',
        product: 'MARGIN',
        quantity: '3700',
        price: '23900',
      }),
    ).rejects.toBeInstanceOf(InvalidOrderError);
    expect(sim.requests.length).toBe(before);
  });
});

describe('freeze limits', () => {
  it('should show a configured freeze limit as Instrument.freezeQuantity (by underlying), and none otherwise', async () => {
    // The fixture master's contracts expire in mid 2026: look them up as of June 2026
    const c = await loadBrokerPlugin(plugin, optionsFor(sim, { freezeQuantities: { NIFTY: 1800 } })).createClient({
      ...ctxFor(),
      clock: { now: () => Date.UTC(2026, 5, 1) },
    });
    try {
      expect((await c.getInstrument({ symbol: 'NIFTY-Jun2026-FUT', exchangeSegment: 'NSE_FNO' }))?.freezeQuantity).toBe(
        '1800',
      );
      expect((await c.searchInstruments({ text: 'NIFTY-Jun2026', exchangeSegment: 'NSE_FNO' }))[0].freezeQuantity).toBe(
        '1800',
      );
      expect(
        (await c.getInstrument({ symbol: 'RELIANCE', exchangeSegment: 'NSE_EQ' }))?.freezeQuantity,
      ).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});

describe('exchange algo id', () => {
  it('should carry the algoId Dhan stamps on an API order as Order.exchangeAlgoId', async () => {
    const placed = await client.placeOrder({
      clientOrderId: newId('alg'),
      instrument: RELIANCE,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '1',
    });
    const o = await client.getOrder(placed);
    expect(o.exchangeAlgoId).toBe('99420001');
    expect((await client.listOrders())[0].exchangeAlgoId).toBe('99420001');
  });

  it('should leave exchangeAlgoId out when Dhan sends none (orders from other platforms)', () => {
    expect(parseDhanOrder(orderById, { broker: 'dhan', accountId: 'a', now: 0 }).exchangeAlgoId).toBeUndefined();
  });
});

describe('SL-M under market price protection', () => {
  it('should refuse SL-M outside equity cash in the plugin, before anything is sent', async () => {
    const before = sim.requests.length;
    const e = await client
      .placeOrder({
        clientOrderId: newId('slm'),
        instrument: NATGAS,
        side: 'SELL',
        type: 'SL-M',
        product: 'INTRADAY',
        quantity: '1',
        triggerPrice: '250',
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidOrderError);
    expect((e as Error).message).toMatch(/SL-M on MCX_COMM.*send SL/);
    expect(sim.requests.length).toBe(before);
  });

  it('should have the simulator refuse STOP_LOSS_MARKET on MCX with DH-906, as Dhan does', async () => {
    const res = await fetch(`${sim.url}/orders`, {
      method: 'POST',
      headers: { 'access-token': TOKEN, 'client-id': CLIENT_ID, 'content-type': 'application/json' },
      body: JSON.stringify({
        dhanClientId: CLIENT_ID,
        transactionType: 'SELL',
        exchangeSegment: 'MCX_COMM',
        productType: 'INTRADAY',
        orderType: 'STOP_LOSS_MARKET',
        validity: 'DAY',
        securityId: '504265',
        quantity: 1,
        price: 0,
        triggerPrice: 250,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'DH-906', errorMessage: expect.stringMatching(/SL-M/) });
    expect(sim.state.orders.size).toBe(0);
  });
});
