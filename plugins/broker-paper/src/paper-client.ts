// A paper BrokerClient: a cheap view of the shared engine bound to one account (ctx.accountId)

import type {
  BrokerClient,
  BrokerContext,
  ExchangeSegment,
  Fill,
  Funds,
  Holding,
  Instrument,
  InstrumentQuery,
  InstrumentRef,
  Order,
  OrderFilter,
  OrderPatch,
  OrderRef,
  OrderRequest,
  OrderUpdateHandler,
  Position,
  Profile,
  SubscribeOptions,
  Tick,
  TickHandler,
  Unsubscribe,
} from '@algodatta/broker-sdk';
import {
  createFillDeduper,
  EXCHANGE_SEGMENTS,
  InvalidOrderError,
  isDerivativeSegment,
  parseOrderPatch,
  parseOrderRequest,
  RejectedError,
} from '@algodatta/broker-sdk';
import { isOption } from './charges.calc';
import type { Dec } from './decimal';
import { D, roundToTick, str } from './decimal';
import type { PositionRow } from './db/rows';
import { BROKER } from './db/rows';
import type { NewOrder, PaperEngine } from './engine/paper-engine';
import { stopTriggered } from './fill-price.calc';
import { PAPER_MANIFEST } from './paper.manifest';
import type { PaperOptions } from './paper.options';
import { OrderRateLimiter } from './rate-limiter';
import { EXCHANGE_SEGMENTS_BY_EXCHANGE } from './sessions.config';

export type SquareOffRequest = {
  /** Close this segment's INTRADAY positions ... */
  segment?: ExchangeSegment;
  /** ... or these segments' ... */
  segments?: ExchangeSegment[];
  /** ... or every segment of this exchange. */
  exchange?: 'NSE' | 'BSE' | 'MCX';
  /** Decision time (epoch ms); default ctx.clock.now(). */
  now?: number;
  /** true: every paper account in the database (the api's scheduled job); default: this client's account. */
  allAccounts?: boolean;
};

export type SquareOffResult = {
  /** The closing MARKET orders placed (filled at the last price, with slippage and charges). */
  orders: Order[];
  /** Open INTRADAY orders cancelled first. */
  cancelled: Order[];
  /** Positions left open because no price is known for them. */
  skipped: { accountId: string; symbol: string; exchangeSegment: ExchangeSegment; reason: string }[];
};

/** The paper client: the BrokerClient contract plus paper-only controls. */
export type PaperBrokerClient = BrokerClient & {
  /** Feeds a last traded price (e.g. an alert's price). Crosses resting orders of every account; returns the orders filled. */
  updatePrice(instrumentOrSymbol: InstrumentRef | string, price: string, ts?: number): Promise<Order[]>;
  /** Expires open DAY orders whose IST session ended (all accounts when allAccounts). */
  expireDayOrders(now?: number, options?: { allAccounts?: boolean }): Promise<Order[]>;
  /** Intraday auto square-off: cancels open INTRADAY orders and closes INTRADAY positions at market. */
  squareOff(request: SquareOffRequest): Promise<SquareOffResult>;
  /** Re-sends this account's most recent update to subscribers (as after a broker reconnect). */
  redeliverLastUpdate(): void;
  /** Last known price of an instrument, or null. */
  lastPrice(instrument: InstrumentRef): Promise<string | null>;
};

export class PaperClient implements PaperBrokerClient {
  readonly broker = BROKER;
  readonly accountId: string;
  private readonly limiter: OrderRateLimiter;
  private readonly unsubscribers = new Set<Unsubscribe>();
  private closed = false;

  constructor(
    private readonly engine: PaperEngine,
    private readonly ctx: BrokerContext,
    private readonly options: PaperOptions,
    private readonly onClose: () => Promise<void>,
  ) {
    this.accountId = ctx.accountId;
    this.limiter = new OrderRateLimiter(options.ordersPerSecond);
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private spec(ref: OrderRequest['instrument']): { lot: Dec; tick: Dec; option: boolean; securityId?: string } {
    const known = this.options.instruments.find(
      (i) => i.symbol === ref.symbol && i.exchangeSegment === ref.exchangeSegment,
    );
    return {
      lot: new D(ref.lotSize ?? known?.lotSize ?? '1'),
      tick: new D(ref.tickSize ?? known?.tickSize ?? this.options.defaultTickSize),
      option: isOption(ref.symbol, ref.instrumentType ?? known?.instrumentType),
      securityId: ref.securityId ?? known?.securityId,
    };
  }

  private async marketPrice(ref: InstrumentRef): Promise<Dec | null> {
    const quoted = this.ctx.quotes ? await this.ctx.quotes.lastPrice(ref) : null;
    if (quoted !== null && quoted !== undefined && new D(quoted).gt(0)) return new D(quoted);
    const tick = await this.engine.prices.get(ref.exchangeSegment, ref.symbol);
    return tick ? tick.price : null;
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    const { order, now } = await this.prepare(request);
    return this.engine.placeOrder(order, now);
  }

  // has.batchPlacement: each request checked and priced as placeOrder does, in order, then placed together (orders of
  // one position that fill on entry: one statement for them all, see engine/entry-fill.ts)
  async placeOrders(requests: OrderRequest[]): Promise<Order[]> {
    const orders: NewOrder[] = [];
    let at = this.now();
    for (const request of requests) {
      const { order, now } = await this.prepare(request);
      orders.push(order);
      at = now;
    }
    return this.engine.placeOrders(orders, at);
  }

  // What placeOrder places: the request parsed and checked, and the price it is decided against (the alert's price
  // is recorded first, as market data)
  private async prepare(request: OrderRequest): Promise<{ order: NewOrder; now: number }> {
    const r = parseOrderRequest(request, { name: BROKER, features: PAPER_MANIFEST.features });
    const now = this.now();
    this.limiter.check(now);
    const inst = r.instrument;
    const spec = this.spec(inst);
    const qty = new D(r.quantity);
    const bad = (msg: string): never => {
      throw new InvalidOrderError(`paper: order ${r.clientOrderId} ${inst.symbol}: ${msg}`, { broker: BROKER });
    };
    if (!qty.isInteger()) bad(`quantity ${r.quantity} must be a whole number`);
    if (isDerivativeSegment(inst.exchangeSegment) && !qty.mod(spec.lot).isZero()) {
      bad(`quantity ${r.quantity} is not a multiple of the lot size ${str(spec.lot)} (send units, not lots)`);
    }
    // The alert's price is market data too: record it first so it also crosses other resting orders
    if (r.referencePrice)
      await this.engine.updatePrice(inst.exchangeSegment, inst.symbol, new D(r.referencePrice), now, now);
    // The order's own reference price wins over any other source
    const last = r.referencePrice ? new D(r.referencePrice) : await this.marketPrice(inst);
    if (r.type === 'MARKET' && !last) {
      throw new RejectedError(
        `paper: no price known for ${inst.exchangeSegment}:${inst.symbol}; a MARKET order needs the alert's price (referencePrice) or an earlier updatePrice`,
        { broker: BROKER },
      );
    }
    const price = r.price ? roundToTick(new D(r.price), spec.tick) : null;
    const trigger = r.triggerPrice ? roundToTick(new D(r.triggerPrice), spec.tick) : null;
    if (price && price.lte(0)) bad('price rounds to 0 at this tick size');
    if (trigger && last && stopTriggered(r.side, trigger, last)) {
      bad(
        `trigger ${str(trigger)} is already crossed by the last price ${str(last)} (a ${r.side} stop needs a trigger ${r.side === 'BUY' ? 'above' : 'below'} it)`,
      );
    }
    if (r.type === 'SL' && price && trigger && (r.side === 'BUY' ? price.lt(trigger) : price.gt(trigger))) {
      bad(
        `SL ${r.side} limit ${str(price)} must be ${r.side === 'BUY' ? 'at or above' : 'at or below'} the trigger ${str(trigger)}`,
      );
    }
    return {
      order: {
        accountId: this.accountId,
        clientOrderId: r.clientOrderId,
        symbol: inst.symbol,
        exchangeSegment: inst.exchangeSegment,
        securityId: spec.securityId,
        lotSize: spec.lot,
        tickSize: spec.tick,
        isOption: spec.option,
        slippageBps: new D(this.options.slippageBps),
        side: r.side,
        type: r.type,
        product: r.product,
        timeInForce: r.timeInForce,
        quantity: qty,
        price,
        triggerPrice: trigger,
        tag: r.tag,
        lastPrice: last,
      },
      now,
    };
  }

  async modifyOrder(ref: OrderRef, patch: OrderPatch): Promise<Order> {
    const p = parseOrderPatch(patch, { name: BROKER, features: PAPER_MANIFEST.features });
    const order = await this.engine.getOrder(this.accountId, ref);
    return this.engine.modifyOrder(this.accountId, order.clientOrderId, p, this.now());
  }

  async cancelOrder(ref: OrderRef): Promise<Order> {
    const order = await this.engine.getOrder(this.accountId, ref);
    return this.engine.cancelOrder(this.accountId, order.clientOrderId, this.now());
  }

  getOrder(ref: OrderRef): Promise<Order> {
    return this.engine.getOrder(this.accountId, ref);
  }

  listOrders(filter?: OrderFilter): Promise<Order[]> {
    return this.engine.listOrders(this.accountId, filter);
  }

  listFills(filter?: OrderFilter): Promise<Fill[]> {
    return this.engine.listFills(this.accountId, filter);
  }

  positions(): Promise<Position[]> {
    return this.engine.positions(this.accountId);
  }

  // Paper has no T+1 settlement: long CNC positions are shown as holdings
  async holdings(): Promise<Holding[]> {
    const positions = await this.positions();
    return positions
      .filter((p) => p.product === 'CNC' && new D(p.netQuantity).gt(0))
      .map((p) => {
        const h: Holding = {
          broker: BROKER,
          accountId: this.accountId,
          instrument: p.instrument,
          quantity: p.netQuantity,
          averagePrice: p.averagePrice,
          raw: p.raw,
        };
        if (p.lastPrice) h.lastPrice = p.lastPrice;
        return h;
      });
  }

  // Funds: total = initial capital + gross realized P&L - charges; used = cost of open positions (average price x
  // |quantity|, no leverage); available = total - used. Unrealized P&L is not counted.
  async funds(): Promise<Funds> {
    const t = await this.engine.accountTotals(this.accountId);
    if (!t) throw new RejectedError(`paper: unknown account ${this.accountId}`, { broker: BROKER });
    const total = t.initialCapital.plus(t.realized).minus(t.charges);
    return {
      broker: BROKER,
      accountId: this.accountId,
      currency: 'INR',
      total: total.toFixed(2),
      used: t.used.toFixed(2),
      available: total.minus(t.used).toFixed(2),
      raw: { initialCapital: str(t.initialCapital), realizedPnl: str(t.realized), charges: str(t.charges) },
    };
  }

  async profile(): Promise<Profile> {
    return {
      broker: BROKER,
      accountId: this.accountId,
      name: `Paper account ${this.accountId}`,
      segments: [...EXCHANGE_SEGMENTS],
      raw: { paper: true },
    };
  }

  async searchInstruments(query: InstrumentQuery): Promise<Instrument[]> {
    const text = query.text.toUpperCase();
    return this.options.instruments
      .filter(
        (i) =>
          (!query.exchangeSegment || i.exchangeSegment === query.exchangeSegment) &&
          (i.symbol.toUpperCase().includes(text) || i.name?.toUpperCase().includes(text)),
      )
      .slice(0, query.limit ?? 50);
  }

  async getInstrument(ref: InstrumentRef): Promise<Instrument | null> {
    return (
      this.options.instruments.find((i) => i.symbol === ref.symbol && i.exchangeSegment === ref.exchangeSegment) ?? null
    );
  }

  subscribeOrderUpdates(onUpdate: OrderUpdateHandler, options?: SubscribeOptions): Unsubscribe {
    const handler = createFillDeduper((u) => {
      try {
        onUpdate(u);
      } catch (e) {
        this.ctx.logger.error('paper: order update handler threw', { error: String(e) });
        options?.onError?.(e instanceof Error ? e : new Error(String(e)));
      }
    });
    const off = this.engine.events.subscribe(this.accountId, handler);
    let active = true;
    const unsubscribe = () => {
      if (!active) return;
      active = false;
      off();
      this.unsubscribers.delete(unsubscribe);
    };
    this.unsubscribers.add(unsubscribe);
    return unsubscribe;
  }

  redeliverLastUpdate(): void {
    this.engine.events.redeliverLast(this.accountId);
  }

  // has.marketData: paper's prices are the ones fed to it (alert prices, updatePrice); a subscriber gets the last
  // known price first, then every change, from any client of the same database in this process
  subscribeQuotes(instruments: InstrumentRef[], onTick: TickHandler, options?: SubscribeOptions): Unsubscribe {
    let active = true;
    const deliver = (instrument: InstrumentRef, price: string, exchangeTime: number) => {
      if (!active) return;
      const tick: Tick = { broker: BROKER, instrument, lastPrice: price, ts: this.now(), exchangeTime };
      try {
        onTick(tick);
      } catch (e) {
        options?.onError?.(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const offs = instruments.map((i) =>
      this.engine.priceEvents.subscribe(i.exchangeSegment, i.symbol, (c) => deliver(i, c.price, c.ts)),
    );
    for (const i of instruments) {
      this.engine.prices.get(i.exchangeSegment, i.symbol).then(
        (t) => {
          if (t) deliver(i, str(t.price), t.ts);
        },
        (e: unknown) => options?.onError?.(e instanceof Error ? e : new Error(String(e))),
      );
    }
    const unsubscribe = () => {
      if (!active) return;
      active = false;
      for (const off of offs) off();
      this.unsubscribers.delete(unsubscribe);
    };
    this.unsubscribers.add(unsubscribe);
    return unsubscribe;
  }

  // ---- paper controls -----------------------------------------------------------------------------------

  async updatePrice(instrumentOrSymbol: InstrumentRef | string, price: string, ts?: number): Promise<Order[]> {
    const p = new D(price);
    if (!p.isFinite() || p.lte(0))
      throw new InvalidOrderError(`paper: price must be > 0 (got ${price})`, { broker: BROKER });
    const now = this.now();
    const segments = await this.resolveSegments(instrumentOrSymbol);
    const symbol =
      typeof instrumentOrSymbol === 'string' ? instrumentOrSymbol.split(':').pop()! : instrumentOrSymbol.symbol;
    const filled: Order[] = [];
    for (const seg of segments) filled.push(...(await this.engine.updatePrice(seg, symbol, p, ts ?? now, now)));
    return filled;
  }

  // "NSE_FNO:NIFTY25DECFUT", a ref, or a bare symbol (its configured instrument, else segments with a known price, else NSE_EQ)
  private async resolveSegments(x: InstrumentRef | string): Promise<ExchangeSegment[]> {
    if (typeof x !== 'string') return [x.exchangeSegment];
    const [maybeSeg, sym] = x.includes(':') ? x.split(':') : [null, x];
    if (maybeSeg) {
      if (!(EXCHANGE_SEGMENTS as readonly string[]).includes(maybeSeg)) {
        throw new InvalidOrderError(`paper: unknown exchange segment ${maybeSeg}`, { broker: BROKER });
      }
      return [maybeSeg as ExchangeSegment];
    }
    const configured = this.options.instruments.filter((i) => i.symbol === sym).map((i) => i.exchangeSegment);
    if (configured.length > 0) return configured;
    const seen = await this.engine.prices.segmentsOf(sym);
    return seen.length > 0 ? seen : ['NSE_EQ'];
  }

  async lastPrice(instrument: InstrumentRef): Promise<string | null> {
    const t = await this.engine.prices.get(instrument.exchangeSegment, instrument.symbol);
    return t ? str(t.price) : null;
  }

  expireDayOrders(now?: number, options?: { allAccounts?: boolean }): Promise<Order[]> {
    return this.engine.expireDayOrders(options?.allAccounts ? null : this.accountId, now ?? this.now());
  }

  async squareOff(request: SquareOffRequest): Promise<SquareOffResult> {
    const segments =
      request.segments ??
      (request.segment ? [request.segment] : request.exchange ? EXCHANGE_SEGMENTS_BY_EXCHANGE[request.exchange] : null);
    if (!segments || segments.length === 0)
      throw new InvalidOrderError('paper: squareOff needs segments or exchange', { broker: BROKER });
    const now = request.now ?? this.now();
    const scope = request.allAccounts ? null : this.accountId;
    const result: SquareOffResult = { orders: [], cancelled: [], skipped: [] };
    for (const o of await this.engine.openIntradayOrders(scope, segments)) {
      try {
        result.cancelled.push(await this.engine.cancelOrder(o.account_id, o.client_order_id, now));
      } catch (e) {
        // Filled or cancelled meanwhile: nothing left to cancel
        this.ctx.logger.debug('paper: square-off cancel skipped', { order: o.client_order_id, error: String(e) });
      }
    }
    // Unique per run, so a retried job at the same `now` never collides with the first run's ids
    const run = `${now.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    let n = 0;
    for (const pos of await this.engine.openIntradayPositions(scope, segments)) {
      const last = await this.engine.prices.get(pos.exchange_segment, pos.symbol);
      if (!last) {
        result.skipped.push({
          accountId: pos.account_id,
          symbol: pos.symbol,
          exchangeSegment: pos.exchange_segment,
          reason: 'no price known',
        });
        this.ctx.logger.warn('paper: square-off skipped a position without a price', {
          accountId: pos.account_id,
          symbol: pos.symbol,
        });
        continue;
      }
      try {
        result.orders.push(await this.closePosition(pos, last.price, now, `sq-${run}-${++n}`));
      } catch (e) {
        // One failed close must not leave every other account open: report it and go on
        result.skipped.push({
          accountId: pos.account_id,
          symbol: pos.symbol,
          exchangeSegment: pos.exchange_segment,
          reason: String(e),
        });
        this.ctx.logger.error('paper: square-off close failed', {
          accountId: pos.account_id,
          symbol: pos.symbol,
          error: String(e),
        });
      }
    }
    return result;
  }

  private closePosition(pos: PositionRow, last: Dec, now: number, clientOrderId: string): Promise<Order> {
    const net = new D(pos.net_quantity);
    const known = this.options.instruments.find(
      (i) => i.symbol === pos.symbol && i.exchangeSegment === pos.exchange_segment,
    );
    const order = this.engine.placeOrder(
      {
        accountId: pos.account_id,
        clientOrderId,
        symbol: pos.symbol,
        exchangeSegment: pos.exchange_segment,
        securityId: pos.security_id ?? undefined,
        lotSize: new D(known?.lotSize ?? '1'),
        tickSize: new D(known?.tickSize ?? this.options.defaultTickSize),
        isOption: isOption(pos.symbol, known?.instrumentType),
        slippageBps: new D(this.options.slippageBps),
        side: net.isPositive() ? 'SELL' : 'BUY',
        type: 'MARKET',
        product: 'INTRADAY',
        timeInForce: 'DAY',
        quantity: net.abs(),
        price: null,
        triggerPrice: null,
        tag: 'auto square-off',
        lastPrice: last,
      },
      now,
    );
    return order;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const u of [...this.unsubscribers]) u();
    await this.onClose();
  }
}
