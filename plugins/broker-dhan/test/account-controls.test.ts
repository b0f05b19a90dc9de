// Static IP, kill switch and P&L exit against the simulator
import { IpNotAllowedError, KillSwitchActiveError, PermissionError, RejectedError } from '@algodatta/broker-sdk';
import type { OrderRequest } from '@algodatta/broker-sdk';
import type { DhanBrokerClient, DhanSimulator } from '../src';
import { RELIANCE, clientFor, newId, startSim, waitUntil } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
let client: DhanBrokerClient;
afterEach(async () => {
  await client?.close();
  await sim?.close();
});

const buy = (quantity = '1'): OrderRequest => ({
  clientOrderId: newId('ctl'),
  instrument: RELIANCE,
  side: 'BUY',
  type: 'MARKET',
  product: 'INTRADAY',
  quantity,
});
const netQty = async () => (await client.positions()).reduce((s, p) => s + Number(p.netQuantity), 0);

describe('static IP', () => {
  it('should read the registered IPs from GET /ip/getIP', async () => {
    sim = await startSim({ staticIps: { primary: '203.0.113.7' } });
    client = await clientFor(sim);
    expect(await client.getStaticIp()).toMatchObject({
      broker: 'dhan',
      primary: '203.0.113.7',
      secondary: null,
      raw: { primaryIP: '203.0.113.7' },
    });
  });

  it('should refuse orders from another IP with IpNotAllowedError, book nothing, and keep reads working', async () => {
    sim = await startSim({ staticIps: { primary: '203.0.113.7', secondary: '203.0.113.8' } });
    client = await clientFor(sim, { lookupBeforePlace: false });
    const e = await client.placeOrder(buy()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IpNotAllowedError);
    expect(e).toBeInstanceOf(PermissionError);
    expect((e as IpNotAllowedError).code).toBe('IP_NOT_ALLOWED');
    expect((e as IpNotAllowedError).retryable).toBe(false);
    expect(sim.state.orders.size).toBe(0);
    await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
    // Registering this machine's IP lets orders through
    sim.staticIp.set({ secondary: '127.0.0.1' });
    await expect(client.placeOrder(buy())).resolves.toMatchObject({ status: 'pending_submit' });
  });
});

describe('kill switch', () => {
  it('should refuse activation while a position is open (RejectedError, not KillSwitchActiveError)', async () => {
    sim = await startSim();
    client = await clientFor(sim);
    const o = await client.placeOrder(buy());
    await waitUntil(async () => (await client.getOrder(o)).status === 'filled');
    const e = await client.setKillSwitch(true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RejectedError);
    expect(e).not.toBeInstanceOf(KillSwitchActiveError);
    expect((await client.getKillSwitch()).active).toBe(false);
  });

  it('should refuse orders with KillSwitchActiveError while active, then place again after deactivation', async () => {
    sim = await startSim();
    client = await clientFor(sim);
    await client.setKillSwitch(true);
    const e = await client.placeOrder(buy()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KillSwitchActiveError);
    expect((e as KillSwitchActiveError).code).toBe('KILL_SWITCH_ACTIVE');
    expect(sim.state.orders.size).toBe(0);
    await client.setKillSwitch(false);
    await expect(client.placeOrder(buy())).resolves.toMatchObject({ status: 'pending_submit' });
  });
});

describe('P&L exit', () => {
  it("should send Dhan's body (profitValue/lossValue strings, DELIVERY for CNC) and read the short names back", async () => {
    sim = await startSim();
    client = await clientFor(sim);
    const set = await client.setPnlExit({
      profit: '1500',
      loss: '500.5',
      products: ['INTRADAY', 'CNC'],
      killSwitch: true,
    });
    expect(set).toMatchObject({
      active: true,
      profit: '1500',
      loss: '500.5',
      products: ['INTRADAY', 'CNC'],
      killSwitch: true,
    });
    const r = sim.requests.filter((x) => x.path === '/pnlExit' && x.method === 'POST').pop()!;
    expect(r.body).toEqual({
      dhanClientId: '1100003626',
      profitValue: '1500.00',
      lossValue: '500.50',
      productType: ['INTRADAY', 'DELIVERY'],
      enableKillSwitch: true,
    });
    expect(await client.getPnlExit()).toMatchObject({
      active: true,
      profit: '1500',
      loss: '500.5',
      products: ['INTRADAY', 'CNC'],
      killSwitch: true,
    });
    await client.stopPnlExit();
    expect(await client.getPnlExit()).toBeNull();
  });

  it("should refuse a rule without amounts or with a product Dhan's exit does not cover, before sending", async () => {
    sim = await startSim();
    client = await clientFor(sim);
    await expect(client.setPnlExit({ products: ['INTRADAY'] })).rejects.toBeInstanceOf(RejectedError);
    await expect(client.setPnlExit({ loss: '100', products: ['MARGIN'] })).rejects.toThrow(/INTRADAY and CNC/);
    expect(sim.requests.filter((x) => x.path === '/pnlExit')).toHaveLength(0);
  });

  it("should exit the positions and turn the kill switch on when the day's loss reaches the limit", async () => {
    sim = await startSim({ prices: { 2885: '2950' } });
    client = await clientFor(sim);
    const o = await client.placeOrder(buy('10'));
    await waitUntil(async () => (await client.getOrder(o)).status === 'filled');
    await client.setPnlExit({ loss: '500', products: ['INTRADAY'], killSwitch: true });
    sim.setPrice('2885', '2930'); // -200: nothing yet
    expect(await netQty()).toBe(10);
    sim.setPrice('2885', '2899'); // -510: exit
    await waitUntil(async () => (await netQty()) === 0);
    expect((await client.getKillSwitch()).active).toBe(true);
    // It fired: nothing is armed any more
    expect(await client.getPnlExit()).toBeNull();
    await expect(client.placeOrder(buy())).rejects.toBeInstanceOf(KillSwitchActiveError);
  });
});
