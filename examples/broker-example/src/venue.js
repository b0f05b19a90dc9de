// The Example Exchange: the broker's side of the wire, in memory, so the example runs without a network. It speaks
// its own format (snake_case records, 'B'/'S', 'OPEN'/'DONE'...), which client.js maps to the SDK's models. A real
// plugin talks HTTP and a WebSocket instead (see broker-dhan); nothing in this file is part of the plugin contract.
// Tests drive it through the hooks at the bottom: prices, accounts, postbacks, faults.
'use strict';

const { Decimal } = require('@algodatta/broker-sdk');

const DAY_MS = 24 * 60 * 60 * 1000;
const TERMINAL = new Set(['DONE', 'CANCELLED', 'REJECTED']);
const keyOf = (instrument) =>
  `${instrument.exchangeSegment}:${instrument.securityId ?? instrument.symbol.toUpperCase()}`;

class ExampleExchange {
  constructor() {
    this.reset();
  }

  reset() {
    this.accounts = new Map(); // clientId -> account
    this.tokens = new Map(); // accessToken -> { clientId, expiresAt }
    this.prices = new Map(); // instrument key -> last price (decimal string)
    this.quoteListeners = new Set();
    this.postbackUrl = null;
    this.postbacks = []; // what the exchange POSTed and what the host answered
    this.streamDown = false;
    this.seq = 0;
  }

  // ---- the exchange's API, as client.js calls it

  // Every call names its credentials; a bad or expired token fails like an HTTP 401 would
  session(clientId, accessToken) {
    const token = this.tokens.get(accessToken);
    if (!token || token.clientId !== clientId) return { error: 'INVALID_TOKEN' };
    if (token.expiresAt <= Date.now()) return { error: 'TOKEN_EXPIRED' };
    const account = this.accounts.get(clientId);
    if (account.throttleNext) {
      account.throttleNext = false;
      return { error: 'RATE_LIMITED', retry_after_ms: 1000 };
    }
    return { account, token };
  }

  renew(accessToken) {
    const old = this.tokens.get(accessToken);
    const fresh = `${accessToken.split('~')[0]}~${++this.seq}`;
    this.tokens.delete(accessToken);
    this.tokens.set(fresh, { clientId: old.clientId, expiresAt: Date.now() + DAY_MS });
    return { access_token: fresh, expires_at: Date.now() + DAY_MS };
  }

  place(account, o) {
    if (account.killSwitch) return { error: 'KILL_SWITCH' };
    const order = {
      order_id: `EX${++this.seq}`,
      client_ref: o.client_ref,
      account: account.client_id,
      instrument: o.instrument,
      side: o.side,
      kind: o.kind,
      product: o.product,
      qty: o.qty,
      price: o.price ?? null,
      trigger: o.trigger ?? null,
      status: 'OPEN',
      filled_qty: '0',
      avg_price: null,
      reason: null,
      created_at: Date.now(),
      updated_at: Date.now(),
      bracket: o.bracket ?? null,
    };
    if (order.kind === 'SL' || order.kind === 'SLM') order.status = 'TRIGGER_PENDING';
    account.orders.set(order.order_id, order);
    // A bracket's first order is its entry (known before it can fill)
    const bracket = order.bracket && account.brackets.get(order.bracket);
    if (bracket && bracket.entry === null) bracket.entry = order.order_id;
    this.changed(account, order);
    this.match(account, order, o.reference_price);
    return { order };
  }

  modify(account, order, patch) {
    if (TERMINAL.has(order.status)) return { error: 'NOT_OPEN' };
    Object.assign(order, patch, { updated_at: Date.now() });
    this.changed(account, order);
    this.match(account, order);
    return { order };
  }

  cancel(account, order) {
    if (TERMINAL.has(order.status)) return { error: 'NOT_OPEN' };
    Object.assign(order, { status: 'CANCELLED', updated_at: Date.now() });
    this.changed(account, order);
    if (order.bracket) this.bracketCancelled(account, order);
    return { order };
  }

  // ---- matching: MARKET at the last price (or the caller's reference), LIMIT when the price reaches it, stops when
  // the price crosses the trigger (SL-M then fills at the market, SL rests as a limit)

  match(account, order, referencePrice) {
    const last = this.prices.get(keyOf(order.instrument)) ?? referencePrice ?? null;
    if (order.status === 'TRIGGER_PENDING' && last && crossed(order, last, order.trigger)) {
      order.status = 'OPEN';
      if (order.kind === 'SLM') order.kind = 'MKT';
    }
    if (order.status !== 'OPEN' || !last) return;
    if (order.kind === 'MKT') this.fill(account, order, last);
    else if (crossed(order, last, order.price)) this.fill(account, order, order.price);
  }

  fill(account, order, price) {
    const now = Date.now();
    Object.assign(order, { status: 'DONE', filled_qty: order.qty, avg_price: price, updated_at: now });
    const trade = {
      trade_id: `T${++this.seq}`,
      order_id: order.order_id,
      client_ref: order.client_ref,
      qty: order.qty,
      price,
      at: now,
    };
    account.trades.push(trade);
    this.book(account, order, price);
    this.emit(account, { type: 'trade', trade, order });
    this.changed(account, order);
    if (order.bracket) this.bracketFilled(account, order);
  }

  // Net quantity and average cost per instrument and product
  book(account, order, price) {
    const key = `${keyOf(order.instrument)}|${order.product}`;
    const p = account.positions.get(key) ?? {
      instrument: order.instrument,
      product: order.product,
      net: '0',
      avg: '0',
      realized: '0',
    };
    const qty = new Decimal(order.qty).times(order.side === 'B' ? 1 : -1);
    const net = new Decimal(p.net);
    const next = net.plus(qty);
    if (net.isZero() || net.isPositive() === qty.isPositive()) {
      p.avg = net.times(p.avg).plus(qty.times(price)).div(next).abs().toFixed();
    } else {
      const closed = Decimal.min(net.abs(), qty.abs());
      p.realized = new Decimal(p.realized)
        .plus(
          new Decimal(price)
            .minus(p.avg)
            .times(closed)
            .times(net.isPositive() ? 1 : -1),
        )
        .toFixed();
      if (next.isZero()) p.avg = '0';
      else if (next.isPositive() !== net.isPositive()) p.avg = new Decimal(price).toFixed();
    }
    p.net = next.toFixed();
    account.positions.set(key, p);
  }

  // ---- brackets: the entry's fill opens a target (limit) and a stop-loss (stop); whichever fills cancels the other

  placeBracket(account, b) {
    const bracket = {
      bracket_id: `BR${++this.seq}`,
      client_ref: b.client_ref,
      entry: null,
      target: null,
      stop: null,
      target_price: b.target_price,
      stop_price: b.stop_price,
      trailing_jump: b.trailing_jump ?? null,
    };
    account.brackets.set(bracket.bracket_id, bracket);
    const placed = this.place(account, { ...b.entry, client_ref: b.client_ref, bracket: bracket.bracket_id });
    if (placed.error) {
      account.brackets.delete(bracket.bracket_id);
      return placed;
    }
    return { bracket };
  }

  bracketFilled(account, order) {
    const bracket = account.brackets.get(order.bracket);
    const exit = order.side === 'B' ? 'S' : 'B';
    const leg = {
      client_ref: bracket.client_ref,
      instrument: order.instrument,
      side: exit,
      product: order.product,
      qty: order.qty,
      bracket: bracket.bracket_id,
    };
    if (order.order_id === bracket.entry) {
      bracket.target = this.place(account, { ...leg, kind: 'LMT', price: bracket.target_price }).order.order_id;
      if (account.orders.get(bracket.target).status === 'OPEN')
        bracket.stop = this.place(account, { ...leg, kind: 'SLM', trigger: bracket.stop_price }).order.order_id;
      return;
    }
    const other = account.orders.get(order.order_id === bracket.target ? bracket.stop : bracket.target);
    if (other && !TERMINAL.has(other.status)) this.cancel(account, other);
  }

  bracketCancelled(account, order) {
    const bracket = account.brackets.get(order.bracket);
    if (order.order_id !== bracket.entry) return;
    for (const id of [bracket.target, bracket.stop]) {
      const leg = id && account.orders.get(id);
      if (leg && !TERMINAL.has(leg.status)) this.cancel(account, leg);
    }
  }

  // ---- what the exchange tells the world: the account's stream, and a postback to the URL it was given

  changed(account, order) {
    this.emit(account, { type: 'order', order });
    if (this.postbackUrl)
      this.postback({
        order_id: order.order_id,
        client_ref: order.client_ref,
        client_id: account.client_id,
        status: order.status,
      });
  }

  emit(account, event) {
    if (this.streamDown) return;
    const copy = JSON.parse(JSON.stringify(event));
    account.lastEvent = copy;
    for (const listener of account.listeners) listener(copy);
  }

  postback(body) {
    const sent = { body, status: null, answer: null };
    this.postbacks.push(sent);
    fetch(this.postbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-example-event': 'order' },
      body: JSON.stringify(body),
    })
      .then(async (res) => Object.assign(sent, { status: res.status, answer: await res.json().catch(() => null) }))
      .catch((error) => Object.assign(sent, { status: 0, answer: String(error) }));
  }

  // ---- test hooks: the "market" and the exchange's back office

  addAccount({ clientId, accessToken }) {
    if (!this.accounts.has(clientId)) {
      this.accounts.set(clientId, {
        client_id: clientId,
        orders: new Map(),
        trades: [],
        positions: new Map(),
        brackets: new Map(),
        listeners: new Set(),
        killSwitch: false,
        pnlExit: null,
        throttleNext: false,
        lastEvent: null,
      });
    }
    this.tokens.set(accessToken, { clientId, expiresAt: Date.now() + DAY_MS });
    return this.accounts.get(clientId);
  }

  setPrice(instrument, price) {
    this.prices.set(keyOf(instrument), new Decimal(price).toFixed());
    for (const account of this.accounts.values()) {
      for (const order of [...account.orders.values()]) {
        if (keyOf(order.instrument) === keyOf(instrument) && !TERMINAL.has(order.status)) this.match(account, order);
      }
    }
    for (const listener of this.quoteListeners) listener(keyOf(instrument), this.prices.get(keyOf(instrument)));
  }

  lastPrice(instrument) {
    return this.prices.get(keyOf(instrument)) ?? null;
  }

  setPostbackUrl(url) {
    this.postbackUrl = url;
  }

  setStreamDown(down) {
    this.streamDown = down;
  }

  throttleNext(clientId) {
    this.accounts.get(clientId).throttleNext = true;
  }

  // Re-sends each account's last stream event, as an exchange does after a reconnect
  redeliverLastEvents() {
    for (const account of this.accounts.values())
      if (account.lastEvent) for (const l of account.listeners) l(account.lastEvent);
  }
}

// A buy fills at or below its price, a sell at or above it; a buy stop triggers at or above, a sell stop at or below
function crossed(order, last, level) {
  const stop = order.status === 'TRIGGER_PENDING';
  const buy = order.side === 'B';
  const cmp = new Decimal(last).comparedTo(level);
  return stop ? (buy ? cmp >= 0 : cmp <= 0) : buy ? cmp <= 0 : cmp >= 0;
}

// One exchange per process: every client of the plugin trades on it, and tests move its market
const exchange = new ExampleExchange();

module.exports = { exchange, keyOf, TERMINAL };
