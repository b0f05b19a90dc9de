// A tiny in-memory broker: the smallest complete plugin. MARKET fills at the last price set with
// `setPrice`, LIMIT rests until a price crosses it. Plain CommonJS so it loads without a build step.
'use strict';

const { z } = require('zod');
const {
  CONTRACT_VERSION, defineBroker, parseOrderRequest, createFillDeduper, notSupported,
  AuthError, OrderNotFoundError, RejectedError, DuplicateOrderError,
} = require('@algodatta/broker-sdk');

const manifest = {
  name: 'example',
  displayName: 'Example Broker',
  version: '0.1.0',
  contractVersion: CONTRACT_VERSION,
  requiredCredentials: ['apiKey'],
  has: {
    placeOrder: true, cancelOrder: true, modifyOrder: false, getOrder: true, listOrders: true,
    positions: false, holdings: false, funds: true, profile: true, searchInstruments: false, orderUpdates: 'stream',
  },
  features: {
    orderTypes: ['MARKET', 'LIMIT'], validities: ['DAY'], products: ['INTRADAY'], segments: ['NSE_EQ'],
    modify: { price: false, quantity: false, trigger: false },
  },
};

function createClient(ctx, options) {
  const orders = new Map();
  const listeners = new Set();
  let lastPrice = null;
  let seq = 0;
  // Like a real broker, a bad key is only noticed on the first call
  const authed = () => {
    if (ctx.credentials.apiKey !== options.validApiKey) throw new AuthError('example: invalid api key', { broker: 'example' });
  };
  let lastFill = null;
  const emit = (u) => {
    if (u.kind === 'fill') lastFill = u;
    listeners.forEach((l) => l(u));
  };
  const fill = (o, price) => {
    Object.assign(o, { status: 'filled', filledQuantity: o.quantity, averagePrice: price, updatedAt: ctx.clock.now() });
    const f = { tradeId: `T${++seq}`, clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId, broker: 'example',
      accountId: ctx.accountId, instrument: o.instrument, side: o.side, product: o.product, quantity: o.quantity, price,
      ts: ctx.clock.now(), raw: {} };
    emit({ kind: 'fill', tracked: true, fill: f, ts: f.ts });
    emit({ kind: 'order', tracked: true, order: { ...o }, ts: f.ts });
  };
  const crosses = (o, p) => o.type === 'MARKET' || (o.side === 'BUY' ? Number(p) <= Number(o.price) : Number(p) >= Number(o.price));
  const find = (ref) => {
    const o = orders.get(ref.clientOrderId);
    if (!o) throw new OrderNotFoundError(`example: no order ${ref.clientOrderId}`, { broker: 'example' });
    return o;
  };

  return {
    broker: 'example',
    accountId: ctx.accountId,
    // Not part of the contract: the test harness moves the market with it
    setPrice(price) {
      lastPrice = price;
      for (const o of orders.values()) if (o.status === 'open' && crosses(o, price)) fill(o, o.price);
    },
    // Not part of the contract: re-sends the last fill, as a broker does after a reconnect
    redeliverLastFill() {
      if (lastFill) emit(lastFill);
    },
    async placeOrder(request) {
      authed();
      const r = parseOrderRequest(request, manifest);
      if (orders.has(r.clientOrderId)) throw new DuplicateOrderError(`example: ${r.clientOrderId} already used`, { broker: 'example' });
      const now = ctx.clock.now();
      const o = { clientOrderId: r.clientOrderId, brokerOrderId: `E${++seq}`, broker: 'example', accountId: ctx.accountId,
        instrument: { symbol: r.instrument.symbol, exchangeSegment: r.instrument.exchangeSegment }, side: r.side, type: r.type,
        product: r.product, timeInForce: r.timeInForce, quantity: r.quantity, price: r.price, status: 'open',
        filledQuantity: '0', createdAt: now, updatedAt: now, raw: {} };
      const price = r.referencePrice ?? lastPrice;
      if (r.type === 'MARKET' && !price) throw new RejectedError('example: no market price known', { broker: 'example' });
      orders.set(o.clientOrderId, o);
      emit({ kind: 'order', tracked: true, order: { ...o }, ts: now });
      if (r.type === 'MARKET') fill(o, price);
      else if (lastPrice && crosses(o, lastPrice)) fill(o, o.price);
      return { ...o };
    },
    async cancelOrder(ref) {
      authed();
      const o = find(ref);
      if (o.status !== 'open') throw new RejectedError(`example: order ${o.clientOrderId} is ${o.status}`, { broker: 'example' });
      Object.assign(o, { status: 'cancelled', updatedAt: ctx.clock.now() });
      emit({ kind: 'order', tracked: true, order: { ...o }, ts: o.updatedAt });
      return { ...o };
    },
    async modifyOrder() { return notSupported('example', 'modifyOrder'); },
    async getOrder(ref) { authed(); return { ...find(ref) }; },
    async listOrders() { authed(); return [...orders.values()].map((o) => ({ ...o })).reverse(); },
    async positions() { return notSupported('example', 'positions'); },
    async holdings() { return notSupported('example', 'holdings'); },
    async funds() {
      authed();
      return { broker: 'example', accountId: ctx.accountId, currency: 'INR', available: '100000', used: '0', total: '100000', raw: {} };
    },
    async profile() { authed(); return { broker: 'example', accountId: ctx.accountId, raw: {} }; },
    async searchInstruments() { return notSupported('example', 'searchInstruments'); },
    async getInstrument() { return notSupported('example', 'getInstrument'); },
    subscribeOrderUpdates(onUpdate) {
      const l = createFillDeduper(onUpdate);
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() { listeners.clear(); },
  };
}

const plugin = defineBroker({
  manifest,
  optionsSchema: z.object({ validApiKey: z.string().default('demo-key') }),
  create: createClient,
});

module.exports = { default: plugin, plugin };
