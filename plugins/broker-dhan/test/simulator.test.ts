// The simulator speaks Dhan's contract: auth headers, DH-905 validation, lifecycle, faults via HTTP, WebSocket login
import WebSocket from 'ws';
import { BrokerUnavailableError } from '@algodatta/broker-sdk';
import type { DhanSimulator } from '../src';
import { CLIENT_ID, TOKEN, clientFor, sleep, startSim, waitUntil } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
beforeEach(async () => {
  sim = await startSim({ orderRateLimitPerSecond: 50 });
});
afterEach(async () => {
  await sim.close();
});

const headers = { 'access-token': TOKEN, 'client-id': CLIENT_ID, 'content-type': 'application/json' };
const place = (body: Record<string, unknown>, h: Record<string, string> = headers) =>
  fetch(`${sim.url}/orders`, { method: 'POST', headers: h, body: JSON.stringify(body) });
const base = {
  dhanClientId: CLIENT_ID,
  transactionType: 'BUY',
  exchangeSegment: 'NSE_EQ',
  productType: 'INTRADAY',
  orderType: 'MARKET',
  validity: 'DAY',
  securityId: '2885',
  quantity: 1,
  price: 0,
};

describe('DhanHQ simulator', () => {
  it('should answer DH-901 with HTTP 401 for a wrong token or a missing client-id header', async () => {
    for (const h of [{ ...headers, 'access-token': 'nope' }, { 'access-token': TOKEN }]) {
      const res = await place(base, h);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ errorType: 'Invalid_Authentication', errorCode: 'DH-901' });
    }
    expect(sim.state.orders.size).toBe(0);
  });

  it('should keep idle connections 65 s, so a client reusing one never races its close', async () => {
    const res = await place(base, headers);
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('should accept quantity as a numeric string (docs sample) and refuse a numeric securityId with DH-905', async () => {
    expect((await place({ ...base, quantity: '5', price: '' })).status).toBe(200);
    const bad = await place({ ...base, securityId: 2885 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errorType: 'Input_Exception', errorCode: 'DH-905' });
    for (const b of [
      { ...base, quantity: 1.5 },
      { ...base, orderType: 'LIMIT', price: 0 },
      { ...base, transactionType: 'HOLD' },
      { ...base, correlationId: 'x'.repeat(31) },
      { ...base, dhanClientId: 'other' },
    ]) {
      expect((await place(b)).status).toBe(400);
    }
  });

  it('should answer TRANSIT, then move MARKET to TRADED and rest a LIMIT until the price crosses it', async () => {
    const m = await (await place({ ...base, correlationId: 'sim-m' })).json();
    expect(m.orderStatus).toBe('TRANSIT');
    const l = await (await place({ ...base, orderType: 'LIMIT', price: 2900, correlationId: 'sim-l' })).json();
    await waitUntil(
      () =>
        sim.state.orders.get(m.orderId)?.status === 'TRADED' && sim.state.orders.get(l.orderId)?.status !== 'TRANSIT',
    );
    await sleep(30);
    expect(sim.state.orders.get(l.orderId)?.status).toBe('PENDING');
    sim.setPrice('2885', '2899.5');
    expect(sim.state.orders.get(l.orderId)?.status).toBe('TRADED');
    const byCorr = await (await fetch(`${sim.url}/orders/external/sim-l`, { headers })).json();
    expect(byCorr).toMatchObject({
      orderId: l.orderId,
      orderStatus: 'TRADED',
      filledQty: 1,
      averageTradedPrice: 2899.5,
      correlationId: 'sim-l',
    });
    const trades = await (await fetch(`${sim.url}/trades`, { headers })).json();
    expect(trades).toHaveLength(2);
  });

  it('should reject a BUY above the available balance after TRANSIT (RMS), with omsErrorDescription', async () => {
    await sim.close();
    sim = await startSim({ initialBalance: '1000' });
    const r = await (await place({ ...base, quantity: 10 })).json();
    await waitUntil(() => sim.state.orders.get(r.orderId)?.status === 'REJECTED');
    expect(sim.state.toWire(sim.state.orders.get(r.orderId)!).omsErrorDescription).toMatch(/Insufficient funds/);
  });

  it('should take faults through POST /__sim/faults and drop the response after booking', async () => {
    await fetch(`${sim.url.replace(/\/v2$/, '')}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'http_500', path: '/fundlimit' }),
    });
    const client = await clientFor(sim);
    try {
      await expect(client.funds()).rejects.toBeInstanceOf(BrokerUnavailableError);
      await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
    } finally {
      await client.close();
    }
    sim.inject({ kind: 'drop_response', path: '/orders', method: 'POST' });
    await expect(place({ ...base, correlationId: 'dropped' })).rejects.toThrow();
    expect(sim.state.byCorrelationId('dropped')).toBeDefined();
  });

  it('should answer DH-904 with HTTP 429 above its own order rate limit', async () => {
    await sim.close();
    sim = await startSim({ orderRateLimitPerSecond: 2 });
    const statuses = await Promise.all([1, 2, 3].map(() => place(base).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 200, 429]);
  });

  it('should refuse new orders with DH-906 while the kill switch is active', async () => {
    const on = await fetch(`${sim.url}/killswitch?killSwitchStatus=ACTIVATE`, { method: 'POST', headers });
    expect(await on.json()).toMatchObject({ killSwitchStatus: 'Kill Switch has been successfully activated' });
    const res = await place(base);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'DH-906' });
  });

  it('should push order_alert messages only after a valid WebSocket login', async () => {
    const good = new WebSocket(sim.wsUrl);
    const bad = new WebSocket(sim.wsUrl);
    const got: unknown[] = [];
    let badClosed = 0;
    good.on('message', (m) => got.push(JSON.parse(String(m))));
    bad.on('close', (code) => {
      badClosed = code;
    });
    await Promise.all([good, bad].map((w) => new Promise((r) => w.on('open', r))));
    good.send(JSON.stringify({ LoginReq: { MsgCode: 42, ClientId: CLIENT_ID, Token: TOKEN }, UserType: 'SELF' }));
    bad.send(JSON.stringify({ LoginReq: { MsgCode: 42, ClientId: CLIENT_ID, Token: 'wrong' }, UserType: 'SELF' }));
    await sleep(30);
    await place(base);
    await waitUntil(() => got.length >= 2 && badClosed !== 0);
    expect(badClosed).toBe(1008);
    expect(got[0]).toMatchObject({
      Type: 'order_alert',
      Data: { Status: 'PENDING', ClientId: CLIENT_ID, SecurityId: '2885' },
    });
    expect(got[got.length - 1]).toMatchObject({ Data: { Status: 'TRADED', TradedQty: 1, RemainingQuantity: 0 } });
    good.close();
  });
});
