// Every endpoint's request as the simulator saw it on the wire: method, path, headers, body fields and JSON types
import type { DhanBrokerClient, DhanSimulator, RecordedRequest } from '../src';
import { CLIENT_ID, RELIANCE, TOKEN, clientFor, newId, startSim } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
let client: DhanBrokerClient;

beforeAll(async () => {
  sim = await startSim();
  client = await clientFor(sim, { lookupBeforePlace: false });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

function last(method: string, path: string | RegExp): RecordedRequest {
  const hits = sim.requests.filter(
    (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
  );
  if (!hits.length) throw new Error(`no ${method} ${String(path)} seen`);
  return hits[hits.length - 1];
}

function expectDhanHeaders(r: RecordedRequest): void {
  expect(r.headers['access-token']).toBe(TOKEN);
  expect(r.headers['client-id']).toBe(CLIENT_ID);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers.accept).toBe('application/json');
}

function expectNoBody(r: RecordedRequest): void {
  expect(r.rawBody).toBe('');
}

describe('Dhan wire format', () => {
  it('should POST /orders with string ids, integer quantity and numeric prices when placing a LIMIT order', async () => {
    const id = newId('wire');
    await client.placeOrder({
      clientOrderId: id,
      instrument: RELIANCE,
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '3',
      price: '2900.05',
    });
    const r = last('POST', '/orders');
    expectDhanHeaders(r);
    expect(r.query).toEqual({});
    const b = r.body as Record<string, unknown>;
    expect(b).toEqual({
      dhanClientId: CLIENT_ID,
      correlationId: id,
      transactionType: 'BUY',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      orderType: 'LIMIT',
      validity: 'DAY',
      securityId: '2885',
      quantity: 3,
      disclosedQuantity: 0,
      price: 2900.05,
      afterMarketOrder: false,
    });
    expect(typeof b.securityId).toBe('string');
    expect(Number.isInteger(b.quantity)).toBe(true);
    expect(r.rawBody).toContain('"price":2900.05');
  });

  it('should send price 0 and a triggerPrice number for SL-M, and STOP_LOSS_MARKET as the order type', async () => {
    await client.placeOrder({
      clientOrderId: newId('wire'),
      instrument: RELIANCE,
      side: 'SELL',
      type: 'SL-M',
      product: 'CNC',
      quantity: '1',
      triggerPrice: '2800',
      timeInForce: 'IOC',
    });
    const b = last('POST', '/orders').body as Record<string, unknown>;
    expect(b).toMatchObject({
      orderType: 'STOP_LOSS_MARKET',
      transactionType: 'SELL',
      productType: 'CNC',
      validity: 'IOC',
      price: 0,
      triggerPrice: 2800,
    });
  });

  it('should PUT /orders/{id} with the full ModifyOrder body when modifying', async () => {
    const placed = await client.placeOrder({
      clientOrderId: newId('wire'),
      instrument: RELIANCE,
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '2',
      price: '2000',
    });
    await new Promise((r) => setTimeout(r, 30));
    await client.modifyOrder(
      { clientOrderId: placed.clientOrderId, brokerOrderId: placed.brokerOrderId },
      { price: '2001.5' },
    );
    const r = last('PUT', `/orders/${placed.brokerOrderId}`);
    expectDhanHeaders(r);
    expect(r.body).toEqual({
      dhanClientId: CLIENT_ID,
      orderId: placed.brokerOrderId,
      orderType: 'LIMIT',
      legName: null,
      quantity: 2,
      price: 2001.5,
      disclosedQuantity: 0,
      validity: 'DAY',
    });
  });

  it('should DELETE /orders/{id} without a body when cancelling', async () => {
    const placed = await client.placeOrder({
      clientOrderId: newId('wire'),
      instrument: RELIANCE,
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '1',
      price: '2000',
    });
    await new Promise((r) => setTimeout(r, 30));
    const cancelled = await client.cancelOrder({
      clientOrderId: placed.clientOrderId,
      brokerOrderId: placed.brokerOrderId,
    });
    expect(cancelled.status).toBe('cancelled');
    const r = last('DELETE', `/orders/${placed.brokerOrderId}`);
    expectDhanHeaders(r);
    expectNoBody(r);
  });

  it('should GET /orders/{id} and /orders/external/{correlationId} for look-ups', async () => {
    const id = newId('wire');
    const placed = await client.placeOrder({
      clientOrderId: id,
      instrument: RELIANCE,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '1',
    });
    await client.getOrder({ clientOrderId: id, brokerOrderId: placed.brokerOrderId });
    expectNoBody(last('GET', `/orders/${placed.brokerOrderId}`));
    const byCorr = await client.getOrder({ clientOrderId: id });
    expect(byCorr.brokerOrderId).toBe(placed.brokerOrderId);
    const r = last('GET', `/orders/external/${id}`);
    expectDhanHeaders(r);
    expectNoBody(r);
  });

  it.each([
    ['/orders', (c: DhanBrokerClient) => c.listOrders()],
    ['/trades', (c: DhanBrokerClient) => c.listFills()],
    ['/positions', (c: DhanBrokerClient) => c.positions()],
    ['/holdings', (c: DhanBrokerClient) => c.holdings()],
    ['/fundlimit', (c: DhanBrokerClient) => c.funds()],
    ['/profile', (c: DhanBrokerClient) => c.profile()],
    ['/killswitch', (c: DhanBrokerClient) => c.getKillSwitch()],
  ])('should GET %s with Dhan headers and no body', async (path, call) => {
    const before = sim.requests.length;
    await call(client);
    const r = sim.requests.slice(before).find((x) => x.method === 'GET' && x.path === path);
    expect(r).toBeDefined();
    expectDhanHeaders(r as RecordedRequest);
    expectNoBody(r as RecordedRequest);
  });

  it('should GET /trades/{orderId} for the trades of one order', async () => {
    const id = newId('wire');
    const placed = await client.placeOrder({
      clientOrderId: id,
      instrument: RELIANCE,
      side: 'BUY',
      type: 'MARKET',
      product: 'INTRADAY',
      quantity: '2',
    });
    await new Promise((r) => setTimeout(r, 40));
    const fills = await client.fillsOf({ clientOrderId: id });
    expect(fills.map((f) => [f.quantity, f.price, f.clientOrderId])).toEqual([['2', '2950', id]]);
    expectNoBody(last('GET', `/trades/${placed.brokerOrderId}`));
  });

  it('should POST /killswitch?killSwitchStatus=ACTIVATE|DEACTIVATE without a body', async () => {
    // Activation needs a flat account: a fresh simulator
    const flat = await startSim();
    const c = await clientFor(flat);
    try {
      expect(await c.setKillSwitch(true)).toMatchObject({
        active: true,
        raw: { killSwitchStatus: expect.stringMatching(/activated/) },
      });
      let r = flat.requests.filter((x) => x.method === 'POST' && x.path === '/killswitch').pop() as RecordedRequest;
      expect(r.query).toEqual({ killSwitchStatus: 'ACTIVATE' });
      expectNoBody(r);
      expectDhanHeaders(r);
      expect((await c.getKillSwitch()).active).toBe(true);
      await c.setKillSwitch(false);
      r = flat.requests.filter((x) => x.method === 'POST' && x.path === '/killswitch').pop() as RecordedRequest;
      expect(r.query).toEqual({ killSwitchStatus: 'DEACTIVATE' });
      expect((await c.getKillSwitch()).active).toBe(false);
    } finally {
      await c.close();
      await flat.close();
    }
  });

  it('should read the misspelled fund fields availabelBalance and utilizedAmount', async () => {
    const f = await client.funds();
    const raw = f.raw as Record<string, number>;
    expect(f.available).toBe(String(raw.availabelBalance));
    expect(f.used).toBe(String(raw.utilizedAmount));
  });

  it('should skip an order row it cannot model (a US-stock segment) instead of failing the whole book', async () => {
    const good = sim.state.toWire([...sim.state.orders.values()][0]);
    sim.inject({
      kind: 'http_error',
      method: 'GET',
      path: '/orders',
      status: 200,
      body: [good, { ...good, orderId: '1', exchangeSegment: 'INX_EQ' }],
    });
    const orders = await client.listOrders();
    expect(orders.map((o) => o.brokerOrderId)).toEqual([good.orderId]);
  });
});
