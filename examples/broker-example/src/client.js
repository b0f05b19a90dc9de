// The BrokerClient: one connected account at the Example Exchange. Orders, account, instruments and the order-update
// stream are here; the optional capabilities are mixed in from capabilities/ (one file each).
'use strict';

const {
  Decimal,
  DuplicateOrderError,
  OrderNotFoundError,
  createFillDeduper,
  parseOrderPatch,
  parseOrderRequest,
} = require('@algodatta/broker-sdk');
const { manifest } = require('./manifest');
const { exchange, keyOf } = require('./venue');
const { loadMaster } = require('./instruments');
const { BROKER, toError, toFill, toOrder, toPosition, toWireOrder } = require('./wire');

class ExampleClient {
  constructor(ctx, options) {
    this.broker = BROKER;
    this.accountId = ctx.accountId;
    this.ctx = ctx;
    this.options = options;
    this.clientId = ctx.credentials.clientId;
    this.accessToken = ctx.credentials.accessToken;
    this.unsubscribes = new Set();
    this.master = null;
  }

  // Every call presents the credentials; the exchange's refusal becomes a typed error (AuthError, RateLimitError...)
  session() {
    const s = exchange.session(this.clientId, this.accessToken);
    if (s.error) throw toError(s.error, undefined, s);
    return s;
  }

  account() {
    return this.session().account;
  }

  findOrder(account, ref) {
    const byId = ref.brokerOrderId && account.orders.get(ref.brokerOrderId);
    if (byId && byId.client_ref === ref.clientOrderId) return byId;
    // By our id: the first order placed with it (a sliced order's or a bracket's first leg)
    const found = [...account.orders.values()].find((o) => o.client_ref === ref.clientOrderId);
    if (!found) throw new OrderNotFoundError(`${BROKER}: no order ${ref.clientOrderId}`, { broker: BROKER });
    return found;
  }

  used(account, clientOrderId) {
    return [...account.orders.values()].some((o) => o.client_ref === clientOrderId);
  }

  // ---- orders

  async placeOrder(request) {
    const r = parseOrderRequest(request, manifest);
    const account = this.account();
    // Our clientOrderId is the idempotency key: a second order under it is refused, never placed
    if (this.used(account, r.clientOrderId))
      throw new DuplicateOrderError(`${BROKER}: ${r.clientOrderId} was used already`, { broker: BROKER });
    const placed = exchange.place(account, toWireOrder(r));
    if (placed.error) throw toError(placed.error);
    return toOrder(placed.order, this.accountId);
  }

  async modifyOrder(ref, patch) {
    const p = parseOrderPatch(patch, manifest);
    const account = this.account();
    const order = this.findOrder(account, ref);
    const changed = exchange.modify(account, order, {
      ...(p.quantity !== undefined && { qty: p.quantity }),
      ...(p.price !== undefined && { price: p.price }),
      ...(p.triggerPrice !== undefined && { trigger: p.triggerPrice }),
    });
    if (changed.error) throw toError(changed.error, `order ${ref.clientOrderId} is no longer open`);
    return toOrder(changed.order, this.accountId);
  }

  async cancelOrder(ref) {
    const account = this.account();
    const cancelled = exchange.cancel(account, this.findOrder(account, ref));
    if (cancelled.error) throw toError(cancelled.error, `order ${ref.clientOrderId} is no longer open`);
    return toOrder(cancelled.order, this.accountId);
  }

  async getOrder(ref) {
    return toOrder(this.findOrder(this.account(), ref), this.accountId);
  }

  async listOrders(filter = {}) {
    return [...this.account().orders.values()]
      .reverse()
      .map((o) => toOrder(o, this.accountId))
      .filter((o) => matches(o, filter));
  }

  async listFills(filter = {}) {
    const account = this.account();
    return account.trades
      .map((t) => toFill(t, account.orders.get(t.order_id), this.accountId))
      .filter(
        (f) => (!filter.symbol || f.instrument.symbol === filter.symbol) && (!filter.since || f.ts >= filter.since),
      );
  }

  // ---- account

  async positions() {
    return [...this.account().positions.values()].map((p) => toPosition(p, this.accountId));
  }

  // Delivery (CNC) buys still held
  async holdings() {
    return [...this.account().positions.values()]
      .filter((p) => p.product === 'CNC' && new Decimal(p.net).gt(0))
      .map((p) => ({
        broker: BROKER,
        accountId: this.accountId,
        instrument: p.instrument,
        quantity: p.net,
        averagePrice: p.avg,
        raw: p,
      }));
  }

  async funds() {
    this.account();
    return {
      broker: BROKER,
      accountId: this.accountId,
      currency: 'INR',
      available: '1000000',
      used: '0',
      total: '1000000',
      raw: { cash: '1000000' },
    };
  }

  async profile() {
    const { token } = this.session();
    return {
      broker: BROKER,
      accountId: this.accountId,
      clientId: this.clientId,
      name: `Example client ${this.clientId}`,
      tokenExpiresAt: token.expiresAt,
      segments: [...manifest.features.segments],
      raw: { client_id: this.clientId },
    };
  }

  // ---- instruments (from the same master the host stores; loaded once per client)

  async instruments() {
    this.master ??= loadMaster(this.options.instrumentsSource, this.ctx.fetch ?? fetch).catch((error) => {
      this.master = null;
      throw error;
    });
    return this.master;
  }

  async searchInstruments(query) {
    const text = query.text.toUpperCase();
    const hits = (await this.instruments()).filter(
      (i) =>
        (!query.exchangeSegment || i.exchangeSegment === query.exchangeSegment) &&
        (i.symbol.includes(text) || i.name.toUpperCase().includes(text)),
    );
    return hits.slice(0, query.limit ?? 20);
  }

  async getInstrument(ref) {
    return (
      (await this.instruments()).find(
        (i) =>
          i.exchangeSegment === ref.exchangeSegment &&
          (ref.securityId ? i.securityId === ref.securityId : i.symbol === ref.symbol.toUpperCase()),
      ) ?? null
    );
  }

  // ---- order updates: the exchange's stream, each fill once per subscription

  subscribeOrderUpdates(onUpdate, options = {}) {
    let account;
    try {
      account = this.account();
    } catch (error) {
      options.onError?.(error);
      return () => undefined;
    }
    const deliver = createFillDeduper(onUpdate);
    const listener = (event) => {
      if (event.type === 'trade')
        deliver({
          kind: 'fill',
          tracked: true,
          fill: toFill(event.trade, event.order, this.accountId),
          ts: event.trade.at,
        });
      else
        deliver({
          kind: 'order',
          tracked: true,
          order: toOrder(event.order, this.accountId),
          ts: event.order.updated_at,
        });
    };
    account.listeners.add(listener);
    const unsubscribe = () => {
      account.listeners.delete(listener);
      this.unsubscribes.delete(unsubscribe);
    };
    this.unsubscribes.add(unsubscribe);
    return unsubscribe;
  }

  async close() {
    for (const unsubscribe of [...this.unsubscribes]) unsubscribe();
  }
}

function matches(order, filter) {
  return (
    (!filter.status || filter.status.includes(order.status)) &&
    (!filter.symbol || order.instrument.symbol === filter.symbol) &&
    (!filter.since || order.createdAt >= filter.since)
  );
}

module.exports = { ExampleClient, keyOf };
