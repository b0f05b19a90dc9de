// Super orders (has.bracketOrders) on the wire and in the simulator: OCO exits, trailing stop, leg changes
import { DuplicateOrderError, InvalidOrderError } from '@algodatta/broker-sdk';
import { assertValidOrder } from '@algodatta/broker-sdk/conformance';
import type { BracketOrder, BracketOrderRequest } from '@algodatta/broker-sdk';
import { parseSuperOrder } from '../src/super-orders/super-order.parse';
import type { DhanBrokerClient, DhanSimulator, RecordedRequest } from '../src';
import { CLIENT_ID, RELIANCE, clientFor, newId, startSim, waitUntil } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
let client: DhanBrokerClient;
beforeEach(async () => {
  sim = await startSim({ prices: { 2885: '2950' } });
  client = await clientFor(sim);
});
afterEach(async () => {
  await client.close();
  await sim.close();
});

const request = (over: Partial<BracketOrderRequest> = {}): BracketOrderRequest => ({
  clientOrderId: newId('so'),
  instrument: RELIANCE,
  side: 'BUY',
  type: 'LIMIT',
  product: 'INTRADAY',
  quantity: '2',
  price: '2950',
  targetPrice: '3100',
  stopLossPrice: '2900',
  ...over,
});
const last = (method: string, prefix: string): RecordedRequest =>
  sim.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).pop() as RecordedRequest;
const leg = (b: BracketOrder, name: string) => b.legs.find((l) => l.leg === name)!;
async function until(b: BracketOrder, accept: (x: BracketOrder) => boolean): Promise<BracketOrder> {
  let cur = b;
  await waitUntil(async () => accept((cur = await client.getBracketOrder(b))));
  return cur;
}
const net = async () => (await client.positions()).reduce((s, p) => s + Number(p.netQuantity), 0);

describe('Dhan super orders', () => {
  it('should POST /super/orders with the entry, target, stop-loss and trailing jump as numbers, without validity', async () => {
    const placed = await client.placeBracketOrder(request({ trailingJump: '10' }));
    expect(last('POST', '/super/orders').body).toEqual({
      dhanClientId: CLIENT_ID,
      correlationId: placed.clientOrderId,
      transactionType: 'BUY',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      orderType: 'LIMIT',
      securityId: '2885',
      quantity: 2,
      price: 2950,
      targetPrice: 3100,
      stopLossPrice: 2900,
      trailingJump: 10,
    });
    expect(placed).toMatchObject({
      status: 'pending_submit',
      quantity: '2',
      legs: expect.arrayContaining([expect.objectContaining({ leg: 'stopLoss', price: '2900', trailingJump: '10' })]),
    });
  });

  it('should close on the target and cancel the stop-loss (OCO), leaving no position', async () => {
    const placed = await client.placeBracketOrder(request());
    const active = await until(placed, (x) => x.status === 'active');
    expect(leg(active, 'entry')).toMatchObject({ status: 'filled', filledQuantity: '2' });
    expect(leg(active, 'target')).toMatchObject({ status: 'open', price: '3100' });
    expect(await net()).toBe(2);
    sim.setPrice('2885', '3101');
    const closed = await until(placed, (x) => x.status === 'closed');
    expect(leg(closed, 'target')).toMatchObject({ status: 'filled', filledQuantity: '2' });
    expect(leg(closed, 'stopLoss').status).toBe('cancelled');
    expect(await net()).toBe(0);
    // The legs are orders in the book too, each with its legName
    const legs = (await client.listOrders())
      .map(assertValidOrder)
      .map((o) => (o.raw as { legName: string | null }).legName)
      .sort();
    expect(legs).toEqual(['ENTRY_LEG', 'STOP_LOSS_LEG', 'TARGET_LEG']);
  });

  it('should trail the stop by whole jumps and close there when the price turns', async () => {
    const placed = await client.placeBracketOrder(request({ trailingJump: '10' }));
    await until(placed, (x) => x.status === 'active');
    sim.setPrice('2885', '2975'); // +25: two jumps -> stop 2920
    sim.setPrice('2885', '2968'); // no new high: the stop stays
    const trailed = await client.getBracketOrder(placed);
    expect(leg(trailed, 'stopLoss')).toMatchObject({ price: '2920', trailingJump: '10', status: 'open' });
    sim.setPrice('2885', '2921');
    expect((await client.getBracketOrder(placed)).status).toBe('active');
    sim.setPrice('2885', '2919');
    const closed = await until(placed, (x) => x.status === 'closed');
    expect(leg(closed, 'stopLoss').status).toBe('filled');
    expect(leg(closed, 'target').status).toBe('cancelled');
    const fills = await client.listFills();
    expect(fills.map((f) => `${f.side} ${f.quantity}@${f.price}`)).toEqual(
      expect.arrayContaining(['BUY 2@2950', 'SELL 2@2919']),
    );
  });

  it('should show TRIGGERED while an exit leg has traded in part, then CLOSED', async () => {
    const placed = await client.placeBracketOrder(request());
    await until(placed, (x) => x.status === 'active');
    sim.state.liquidity.set('2885', 1); // one unit per match
    sim.setPrice('2885', '3100');
    const triggered = await until(placed, (x) => x.status === 'triggered');
    expect(leg(triggered, 'target')).toMatchObject({ status: 'partially_filled', filledQuantity: '1' });
    expect(leg(triggered, 'stopLoss').status).toBe('open');
    sim.setPrice('2885', '3101');
    const closed = await until(placed, (x) => x.status === 'closed');
    expect(leg(closed, 'stopLoss').status).toBe('cancelled');
  });

  it('should move the target with PUT legName TARGET_LEG and close at the new target', async () => {
    const placed = await client.placeBracketOrder(request());
    await until(placed, (x) => x.status === 'active');
    const moved = await client.modifyBracketOrder(placed, 'target', { price: '3000' });
    expect(last('PUT', '/super/orders/').body).toEqual({
      dhanClientId: CLIENT_ID,
      orderId: placed.brokerOrderId,
      legName: 'TARGET_LEG',
      targetPrice: 3000,
    });
    expect(leg(moved, 'target').price).toBe('3000');
    sim.setPrice('2885', '3000');
    await until(placed, (x) => x.status === 'closed');
  });

  it('should cancel every leg with DELETE .../ENTRY_LEG while the entry rests', async () => {
    const placed = await client.placeBracketOrder(
      request({ price: '2900', targetPrice: '3000', stopLossPrice: '2850' }),
    );
    await until(placed, (x) => x.status === 'open');
    const cancelled = await client.cancelBracketOrder(placed, 'entry');
    expect(last('DELETE', '/super/orders/').path).toBe(`/super/orders/${placed.brokerOrderId}/ENTRY_LEG`);
    expect(cancelled.status).toBe('cancelled');
    sim.setPrice('2885', '2890');
    expect(await net()).toBe(0);
  });

  it('should find the super order by its correlationId when the answer to the placement is lost', async () => {
    sim.inject({ kind: 'drop_response', method: 'POST', path: '/super/orders' });
    const req = request();
    const found = await client.placeBracketOrder(req);
    expect(found).toMatchObject({ clientOrderId: req.clientOrderId, quantity: '2' });
    expect(sim.superOrders.list()).toHaveLength(1);
  });

  it('should refuse exits on the wrong side of the entry and a reused clientOrderId, before sending', async () => {
    const before = sim.requests.filter((r) => r.method === 'POST').length;
    await expect(client.placeBracketOrder(request({ targetPrice: '2940' }))).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(client.placeBracketOrder(request({ side: 'SELL' }))).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(client.placeBracketOrder(request({ type: 'MARKET' }))).rejects.toThrow(/MARKET entry takes no price/);
    expect(sim.requests.filter((r) => r.method === 'POST').length).toBe(before);
    const placed = await client.placeBracketOrder(request());
    await expect(client.placeBracketOrder(request({ clientOrderId: placed.clientOrderId }))).rejects.toBeInstanceOf(
      DuplicateOrderError,
    );
  });
});

describe('parseSuperOrder', () => {
  const row = (orderStatus: string, legs: [string, string][]) => ({
    dhanClientId: CLIENT_ID,
    orderId: '5925022734212',
    correlationId: 'ad-1',
    orderStatus,
    transactionType: 'BUY',
    exchangeSegment: 'NSE_EQ',
    productType: 'INTRADAY',
    orderType: 'LIMIT',
    tradingSymbol: 'RELIANCE',
    securityId: '2885',
    quantity: 10,
    remainingQuantity: 0,
    price: 2950,
    legName: 'ENTRY_LEG',
    createTime: '2026-11-30 10:01:02',
    updateTime: '2026-11-30 10:05:00',
    averageTradedPrice: 2950,
    filledQty: 10,
    legDetails: legs.map(([legName, status]) => ({
      orderId: '',
      legName,
      transactionType: 'SELL',
      totalQuatity: 10,
      remainingQuantity: status === 'TRADED' ? 0 : 10,
      triggeredQuantity: 0,
      price: 3000,
      orderStatus: status,
      trailingJump: 0,
    })),
  });
  const ctx = { broker: 'dhan', accountId: 'a', now: 0 };

  it.each([
    ['TRADED', 'active'],
    ['TRIGGERED', 'triggered'],
    ['CLOSED', 'closed'],
    ['PENDING', 'open'],
    ['TRANSIT', 'pending_submit'],
    ['CANCELLED', 'cancelled'],
    ['REJECTED', 'rejected'],
  ])('should map the super order status %s to %s', (dhan, ours) => {
    expect(
      parseSuperOrder(
        row(dhan, [
          ['TARGET_LEG', 'PENDING'],
          ['STOP_LOSS_LEG', 'PENDING'],
        ]),
        ctx,
      ).status,
    ).toBe(ours);
  });

  it('should read the legs (totalQuatity as spelled on the wire), a triggered stop as working, and the times in IST', () => {
    const b = parseSuperOrder(
      row('TRIGGERED', [
        ['TARGET_LEG', 'CANCELLED'],
        ['STOP_LOSS_LEG', 'TRIGGERED'],
      ]),
      ctx,
    );
    expect(b.legs.map((l) => [l.leg, l.status, l.quantity])).toEqual([
      ['entry', 'filled', '10'],
      ['target', 'cancelled', '10'],
      ['stopLoss', 'open', '10'],
    ]);
    expect(b.createdAt).toBe(Date.UTC(2026, 10, 30, 4, 31, 2));
    expect(b.clientOrderId).toBe('ad-1');
  });
});
