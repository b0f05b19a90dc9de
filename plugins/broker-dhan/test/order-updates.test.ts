// Postbacks (real HTTP POSTs from the simulator) and the order-update WebSocket (real ws to the simulator)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';
import { assertValidOrderUpdate } from '@algodatta/broker-sdk/conformance';
import type { OrderUpdate } from '@algodatta/broker-sdk';
import { parseOrderAlert } from '../src';
import type { DhanBrokerClient, DhanSimulator } from '../src';
import { CLIENT_ID, RELIANCE, clientFor, newId, sleep, startSim, waitUntil } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
let client: DhanBrokerClient;
beforeAll(async () => {
  sim = await startSim();
  client = await clientFor(sim);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const fillsFor = (updates: OrderUpdate[], id: string) =>
  updates.flatMap((u) => (u.kind === 'fill' && u.fill.clientOrderId === id ? [u.fill] : []));
const ordersFor = (updates: OrderUpdate[], id: string) =>
  updates.flatMap((u) => (u.kind === 'order' && u.order.clientOrderId === id ? [u.order] : []));

describe('order-update WebSocket', () => {
  it('should stream order and fill updates and deliver a re-sent fill only once', async () => {
    const updates: OrderUpdate[] = [];
    const stop = client.subscribeOrderUpdates((u) => updates.push(u));
    try {
      await sleep(50);
      const id = newId('ws');
      await client.placeOrder({
        clientOrderId: id,
        instrument: RELIANCE,
        side: 'BUY',
        type: 'MARKET',
        product: 'INTRADAY',
        quantity: '4',
      });
      await waitUntil(
        () => fillsFor(updates, id).length > 0 && ordersFor(updates, id).some((o) => o.status === 'filled'),
      );
      updates.forEach((u) => assertValidOrderUpdate(u));
      sim.replayOrderAlerts();
      sim.replayOrderAlerts();
      await sleep(100);
      const fills = fillsFor(updates, id);
      expect(fills).toHaveLength(1);
      expect(fills[0]).toMatchObject({
        quantity: '4',
        price: '2950',
        side: 'BUY',
        product: 'INTRADAY',
        brokerOrderId: expect.any(String),
      });
      expect(ordersFor(updates, id).every((o) => o.instrument.securityId === '2885')).toBe(true);
      expect(updates.filter((u) => u.kind === 'fill' && u.fill.clientOrderId === id).every((u) => u.tracked)).toBe(
        true,
      );
    } finally {
      stop();
    }
  });

  it('should report partial fills as separate fills with distinct trade ids', async () => {
    const updates: OrderUpdate[] = [];
    const stop = client.subscribeOrderUpdates((u) => updates.push(u));
    try {
      await sleep(50);
      sim.state.liquidity.set('2885', 3);
      const id = newId('part');
      await client.placeOrder({
        clientOrderId: id,
        instrument: RELIANCE,
        side: 'BUY',
        type: 'MARKET',
        product: 'INTRADAY',
        quantity: '5',
      });
      await waitUntil(() => ordersFor(updates, id).some((o) => o.status === 'partially_filled'));
      sim.setPrice('2885', '2951');
      await waitUntil(() => ordersFor(updates, id).some((o) => o.status === 'filled'));
      const fills = fillsFor(updates, id);
      expect(fills.map((f) => [f.quantity, f.price])).toEqual([
        ['3', '2950'],
        ['2', '2951'],
      ]);
      expect(new Set(fills.map((f) => f.tradeId)).size).toBe(2);
      const total = fills.reduce((s, f) => s.plus(f.quantity), new Decimal(0));
      expect(total.toFixed()).toBe('5');
    } finally {
      sim.state.liquidity.delete('2885');
      sim.setPrice('2885', '2950');
      stop();
    }
  });

  it('should reconnect after the socket drops and catch up from the order book', async () => {
    const updates: OrderUpdate[] = [];
    const errors: Error[] = [];
    // The earlier cases' sockets are gone first, so the one logged in below is this subscription's
    await waitUntil(() => sim.orderUpdateClients() === 0);
    const stop = client.subscribeOrderUpdates((u) => updates.push(u), { onError: (e) => errors.push(e) });
    try {
      // Dropped once logged in: a drop before the socket is up would test nothing
      await waitUntil(() => sim.orderUpdateClients() > 0);
      sim.dropOrderUpdateClients();
      const id = newId('re');
      await client.placeOrder({
        clientOrderId: id,
        instrument: RELIANCE,
        side: 'BUY',
        type: 'MARKET',
        product: 'INTRADAY',
        quantity: '1',
      });
      await waitUntil(() => ordersFor(updates, id).some((o) => o.status === 'filled'));
      expect(fillsFor(updates, id)).toHaveLength(1);
      expect(errors.some((e) => /reconnecting/.test(e.message))).toBe(true);
    } finally {
      stop();
    }
  });

  it('should read the lowercase message variant and ignore other message types and accounts', () => {
    const ctx = { broker: 'dhan', accountId: 'a', now: 1, clientId: CLIENT_ID };
    const parsed = parseOrderAlert(
      {
        type: 'order_alert',
        data: {
          orderNo: '77',
          status: 'Traded',
          quantity: 10,
          remainingQuantity: 0,
          avgTradedPrice: 101.5,
          txnType: 'S',
          product: 'M',
          orderType: 'LMT',
          price: 101.5,
          exchange: 'NSE',
          segment: 'D',
          securityId: '62329',
          correlationId: 'exec-9',
          clientId: CLIENT_ID,
        },
      },
      ctx,
    );
    expect(parsed?.order).toMatchObject({
      brokerOrderId: '77',
      clientOrderId: 'exec-9',
      status: 'filled',
      side: 'SELL',
      product: 'MARGIN',
      type: 'LIMIT',
      filledQuantity: '10',
      averagePrice: '101.5',
      instrument: { exchangeSegment: 'NSE_FNO' },
    });
    expect(parsed?.tracked).toBe(true);
    expect(parseOrderAlert({ Type: 'heartbeat', Data: {} }, ctx)).toBeNull();
    expect(
      parseOrderAlert(
        { Type: 'order_alert', Data: { OrderNo: '1', ClientId: 'someone-else', Status: 'PENDING', Quantity: 1 } },
        ctx,
      ),
    ).toBeNull();
    expect(parseOrderAlert('not json', ctx)).toBeNull();
  });
});

describe('postback', () => {
  it('should receive real postbacks and turn each into a tracked order update, ending filled', async () => {
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        bodies.push({ headers: req.headers, raw });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    sim.setPostbackUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhook/dhan/postback`);
    try {
      const id = newId('pb');
      await client.placeOrder({
        clientOrderId: id,
        instrument: RELIANCE,
        side: 'BUY',
        type: 'MARKET',
        product: 'CNC',
        quantity: '2',
      });
      await waitUntil(() => bodies.length >= 2);
      const updates = (bodies as { headers: Record<string, string>; raw: string }[])
        .map((b) => client.parseWebhook(b.headers, b.raw))
        .filter((u): u is OrderUpdate => u !== null && u.kind === 'order' && u.order.clientOrderId === id);
      updates.forEach((u) => assertValidOrderUpdate(u));
      expect(updates.map((u) => (u.kind === 'order' ? u.order.status : ''))).toEqual(['open', 'filled']);
      expect(updates.every((u) => u.tracked)).toBe(true);
      const last = updates[1];
      expect(last.kind === 'order' && last.order).toMatchObject({
        filledQuantity: '2',
        product: 'CNC',
        instrument: { securityId: '2885' },
      });
      // Parsed from an object body too
      expect(client.parseWebhook({}, JSON.parse((bodies[1] as { raw: string }).raw))?.kind).toBe('order');
    } finally {
      sim.setPostbackUrl(undefined);
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('should return null for another account, a non-order body or invalid JSON', () => {
    expect(
      client.parseWebhook(
        {},
        { dhanClientId: '999', orderId: '1', orderStatus: 'TRADED', quantity: 1, exchangeSegment: 'NSE_EQ' },
      ),
    ).toBeNull();
    expect(client.parseWebhook({}, { hello: 'world' })).toBeNull();
    expect(client.parseWebhook({}, '{"orderId": ')).toBeNull();
  });

  it('should mark a postback without our correlation id as untracked', () => {
    const u = client.parseWebhook(
      {},
      {
        dhanClientId: CLIENT_ID,
        orderId: '5',
        correlationId: null,
        orderStatus: 'REJECTED',
        transactionType: 'SELL',
        exchangeSegment: 'MCX_COMM',
        productType: 'MARGIN',
        orderType: 'MARKET',
        validity: 'DAY',
        securityId: '504265',
        quantity: 1,
        price: 0,
        triggerPrice: 0,
        createTime: '2026-06-01 10:00:00',
        updateTime: '2026-06-01 10:00:01',
        omsErrorCode: '16388',
        omsErrorDescription: 'Market Price Protection',
      },
    );
    expect(u?.tracked).toBe(false);
    expect(u?.kind === 'order' && u.order).toMatchObject({
      clientOrderId: 'dhan-5',
      status: 'rejected',
      rejectReason: 'Market Price Protection',
      createdAt: Date.parse('2026-06-01T10:00:00+05:30'),
    });
  });
});
