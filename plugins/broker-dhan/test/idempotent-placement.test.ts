// A lost placement answer never produces a second order: the plugin looks the correlationId up before re-sending
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrokerUnavailableError, DuplicateOrderError, NetworkError, UnknownOutcomeError } from '@algodatta/broker-sdk';
import type { OrderRequest } from '@algodatta/broker-sdk';
import type { DhanBrokerClient, DhanSimulator } from '../src';
import { RELIANCE, clientFor, newId, sleep, startSim } from './helpers/dhan-test-kit';

const ORDER_TIMEOUT_MS = 1000;
// When the slow case's order is booked: well after the client gave up and looked it up
const BOOKED_AFTER_MS = 4 * ORDER_TIMEOUT_MS;

let sim: DhanSimulator;
let client: DhanBrokerClient;

beforeAll(async () => {
  sim = await startSim();
  // Long enough that a loaded machine answers a 500 within it (at 150 ms a CI run timed out on the 500 instead)
  client = await clientFor(sim, { orderTimeoutMs: ORDER_TIMEOUT_MS });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

const marketBuy = (clientOrderId: string): OrderRequest => ({
  clientOrderId,
  instrument: RELIANCE,
  side: 'BUY',
  type: 'MARKET',
  product: 'INTRADAY',
  quantity: '1',
});
const ordersAtSim = (correlationId: string) =>
  [...sim.state.orders.values()].filter((o) => o.correlationId === correlationId);
const placements = (correlationId: string) =>
  sim.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.path === '/orders' &&
      (r.body as { correlationId?: string }).correlationId === correlationId,
  );

describe('idempotent placement', () => {
  it('should return the booked order and keep ONE order when the response is dropped and the caller retries', async () => {
    const id = newId('drop');
    sim.inject({ kind: 'drop_response', method: 'POST', path: '/orders' });
    const order = await client.placeOrder(marketBuy(id));
    // Recovered through GET /orders/external/{correlationId}
    expect(order.clientOrderId).toBe(id);
    expect(order.brokerOrderId).toBe(ordersAtSim(id)[0].orderId);
    expect(sim.requests.some((r) => r.method === 'GET' && r.path === `/orders/external/${id}`)).toBe(true);
    // The caller retries the same clientOrderId anyway: refused, nothing sent
    await expect(client.placeOrder(marketBuy(id))).rejects.toBeInstanceOf(DuplicateOrderError);
    expect(ordersAtSim(id)).toHaveLength(1);
    expect(placements(id)).toHaveLength(1);
  });

  it('should find the order after a 500 that came after booking', async () => {
    const id = newId('err');
    sim.inject({ kind: 'error_after_booking', method: 'POST', path: '/orders' });
    const order = await client.placeOrder(marketBuy(id));
    expect(order.brokerOrderId).toBe(ordersAtSim(id)[0].orderId);
    expect(ordersAtSim(id)).toHaveLength(1);
  });

  it('should throw a retryable BrokerUnavailableError after a 500 with nothing booked, and the retry places once', async () => {
    const id = newId('500');
    sim.inject({ kind: 'http_500', method: 'POST', path: '/orders' });
    const e = await client.placeOrder(marketBuy(id)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BrokerUnavailableError);
    expect((e as BrokerUnavailableError).retryable).toBe(true);
    expect(ordersAtSim(id)).toHaveLength(0);
    await client.placeOrder(marketBuy(id));
    expect(ordersAtSim(id)).toHaveLength(1);
  });

  it('should throw UnknownOutcomeError when the order is still being booked after the timeout, and never place twice', async () => {
    const id = newId('slow');
    // Dhan books the order only after BOOKED_AFTER_MS; the client gives up at ORDER_TIMEOUT_MS and looks up then
    sim.inject({ kind: 'slow', method: 'POST', path: '/orders', delayMs: BOOKED_AFTER_MS });
    const e = await client.placeOrder(marketBuy(id)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnknownOutcomeError);
    expect((e as UnknownOutcomeError).retryable).toBe(false);
    expect((e as UnknownOutcomeError).clientOrderId).toBe(id);
    await sleep(BOOKED_AFTER_MS);
    // The reconcile path: look up before re-sending
    const found = await client.getOrder({ clientOrderId: id });
    expect(found.brokerOrderId).toBe(ordersAtSim(id)[0].orderId);
    await expect(client.placeOrder(marketBuy(id))).rejects.toBeInstanceOf(DuplicateOrderError);
    expect(ordersAtSim(id)).toHaveLength(1);
  });

  it('should report a refused connection as a retryable NetworkError (nothing was sent)', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = await clientFor(sim, { baseUrl: `http://127.0.0.1:${port}/v2`, lookupBeforePlace: false });
    try {
      const e = await dead.placeOrder(marketBuy(newId('dead'))).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetworkError);
      expect(e).not.toBeInstanceOf(UnknownOutcomeError);
    } finally {
      await dead.close();
    }
  });
});
