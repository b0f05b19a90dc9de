import Decimal from 'decimal.js';
import {
  BrokerError,
  DuplicateOrderError,
  InvalidOrderError,
  NetworkError,
  OrderNotFoundError,
  RejectedError,
  UnknownOutcomeError,
  createFillDeduper,
  isDerivativeSegment,
  isTerminalStatus,
  parseOrderPatch,
  parseOrderRequest,
} from '@algodatta/broker-sdk';
import type {
  BracketLegName,
  BracketLegPatch,
  BracketOrder,
  BracketOrderRequest,
  BrokerClient,
  BrokerContext,
  Fill,
  Funds,
  Holding,
  Instrument,
  InstrumentQuery,
  InstrumentRef,
  KillSwitchState,
  LoginSecrets,
  Order,
  OrderFilter,
  OrderPatch,
  OrderRef,
  OrderRequest,
  OrderUpdate,
  OrderUpdateHandler,
  PnlExitRule,
  PnlExitState,
  Position,
  Profile,
  SessionInfo,
  SessionToken,
  StaticIpInfo,
  SubscribeOptions,
  TickHandler,
  Unsubscribe,
} from '@algodatta/broker-sdk';
import * as controls from './controls/account-controls';
import type { ControlsDeps } from './controls/account-controls';
import { DhanMarketFeed } from './market-feed/market-feed';
import * as session from './session/dhan-session';
import type { SessionDeps } from './session/dhan-session';
import * as superOrders from './super-orders/super-orders';
import type { SuperOrderDeps } from './super-orders/super-orders';
import { isTrackedCorrelation, toCorrelationId } from './correlation-id';
import { ORDER_TYPE_TO_DHAN, PRODUCT_TO_DHAN, mapDhanStatus } from './dhan/dhan-enums.map';
import type { DhanOrderAck } from './dhan/dhan.types';
import { BROKER_NAME, mapDhanFailure } from './error-map';
import type { DhanOp } from './error-map';
import { DhanRequestFailed } from './http/dhan-failure';
import { DhanHttpClient } from './http/dhan-http.client';
import type { DhanRequest } from './http/dhan-http.client';
import { acquireLimiters } from './http/account-limiters';
import type { AccountLimiters } from './http/account-limiters';
import { InstrumentCache } from './instruments/instrument-cache';
import { rowToInstrument } from './instruments/instrument.map';
import { withFreezeQuantity } from './instruments/freeze-limits';
import { InstrumentResolutionError, resolveInstrument } from './instruments/instrument.resolve';
import { dhanManifest } from './manifest';
import type { DhanOptions } from './options';
import { parseDhanFunds } from './parse/funds.parse';
import { parseDhanHolding } from './parse/holding.parse';
import { parseOrderAlert } from './parse/order-alert.parse';
import { parseDhanOrder } from './parse/order.parse';
import type { ParseContext } from './parse/order.parse';
import { parseDhanPosition } from './parse/position.parse';
import { parseDhanPostback } from './parse/postback.parse';
import { parseDhanProfile } from './parse/profile.parse';
import { parseDhanTrade } from './parse/fill.parse';
import { DhanOrderFeed } from './stream/order-feed';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A DhanHQ account behind the SDK's BrokerClient contract, with Dhan's sessions, controls, super orders and feed. */
export class DhanBrokerClient implements BrokerClient {
  readonly broker = BROKER_NAME;
  readonly accountId: string;
  readonly clientId: string;
  private readonly http: DhanHttpClient;
  private readonly limiters: AccountLimiters;
  private readonly instruments: InstrumentCache;
  private readonly feeds = new Set<DhanOrderFeed>();
  private marketFeed?: DhanMarketFeed;
  // What the capability modules (session/, controls/, super-orders/) need of this client
  private readonly caps: { session: SessionDeps; controls: ControlsDeps; supers: SuperOrderDeps };
  private closed = false;

  constructor(
    private readonly ctx: BrokerContext,
    private readonly options: DhanOptions,
  ) {
    this.accountId = ctx.accountId;
    this.clientId = ctx.credentials.clientId ?? '';
    const accessToken = ctx.credentials.accessToken ?? '';
    this.http = new DhanHttpClient({
      baseUrl: options.baseUrl,
      clientId: this.clientId,
      accessToken,
      timeoutMs: options.timeoutMs,
      fetch: ctx.fetch,
      signal: ctx.signal,
    });
    this.limiters = acquireLimiters(options.baseUrl, this.clientId, options, BROKER_NAME);
    this.instruments = new InstrumentCache(options.instrumentsSource, options.instrumentsTtlMs, ctx.fetch);
    const call = <T>(req: DhanRequest, op: DhanOp, what: string, id?: string) => this.call<T>(req, op, what, id);
    this.caps = {
      controls: { accountId: this.accountId, call },
      session: {
        http: this.http,
        limiter: this.limiters.reads,
        options,
        clientId: this.clientId,
        accountId: this.accountId,
        now: () => ctx.clock.now(),
        profileExpiry: async () => {
          const p = await this.profile();
          return { expiresAt: p.tokenExpiresAt, raw: p.raw };
        },
      },
      supers: {
        call,
        pctx: () => this.pctx(),
        securityFor: (i) => this.securityFor(i),
        lookupBeforePlace: options.lookupBeforePlace,
        orderTimeoutMs: options.orderTimeoutMs,
        reconcileDelayMs: options.reconcileDelayMs,
      },
    };
  }

  // One odd row (e.g. a segment the SDK does not model, such as US stocks) must not hide the rest of a book
  private parseAll<T>(raw: unknown, parse: (item: unknown) => T, what: string): T[] {
    const out: T[] = [];
    for (const item of Array.isArray(raw) ? raw : []) {
      try {
        out.push(parse(item));
      } catch (e) {
        this.ctx.logger.warn(`dhan: skipped an unreadable ${what}`, {
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
    return out;
  }

  private pctx(): ParseContext {
    return { broker: BROKER_NAME, accountId: this.accountId, now: this.ctx.clock.now() };
  }

  // One Dhan call through its limiter; failures become typed SDK errors (used by the capability modules too)
  async call<T>(req: DhanRequest, op: DhanOp, what: string, clientOrderId?: string): Promise<T> {
    const limiter = req.method === 'GET' ? this.limiters.reads : this.limiters.orders;
    try {
      return await limiter.schedule(() => this.http.request<T>(req));
    } catch (e) {
      if (e instanceof DhanRequestFailed) throw mapDhanFailure(e.failure, { op, what, clientOrderId, cause: e });
      throw e;
    }
  }

  // ---- orders

  // Validates a request and builds Dhan's place body (shared by placeOrder and placeSlicedOrder)
  private async placeBody(request: OrderRequest) {
    const r = parseOrderRequest(request, dhanManifest);
    const correlationId = toCorrelationId(r.clientOrderId);
    const { securityId, lotSize } = await this.securityFor(r.instrument);
    const qty = new Decimal(r.quantity);
    // Dhan takes units (shares, contracts x lot size), never lots
    if (!qty.isInteger())
      throw new InvalidOrderError(`dhan: quantity must be whole units (got ${r.quantity})`, { broker: BROKER_NAME });
    if (lotSize && isDerivativeSegment(r.instrument.exchangeSegment) && !qty.mod(lotSize).eq(0)) {
      throw new InvalidOrderError(
        `dhan: quantity ${r.quantity} is not a multiple of the lot size ${lotSize} (quantity is in units)`,
        { broker: BROKER_NAME },
      );
    }
    if (this.options.lookupBeforePlace) {
      const existing = await this.findByCorrelation(correlationId);
      if (existing) {
        throw new DuplicateOrderError(
          `dhan: clientOrderId ${r.clientOrderId} already placed as order ${existing.brokerOrderId} (${existing.status})`,
          { broker: BROKER_NAME },
        );
      }
    }
    const body: Record<string, unknown> = {
      correlationId,
      transactionType: r.side,
      exchangeSegment: r.instrument.exchangeSegment,
      productType: PRODUCT_TO_DHAN[r.product],
      orderType: ORDER_TYPE_TO_DHAN[r.type],
      validity: r.timeInForce,
      securityId,
      quantity: qty.toNumber(),
      disclosedQuantity: 0,
      // Dhan wants JSON numbers; a decimal string with <= 15 significant digits round-trips exactly
      price: r.price ? Number(r.price) : 0,
      afterMarketOrder: false,
    };
    if (r.triggerPrice) body.triggerPrice = Number(r.triggerPrice);
    return { r, correlationId, securityId, qty, body };
  }

  // The order as placed, before Dhan reports on it
  private placedOrder(
    p: Awaited<ReturnType<DhanBrokerClient['placeBody']>>,
    ack: DhanOrderAck,
    quantity: Decimal,
    now: number,
  ): Order {
    const { r, securityId } = p;
    const order: Order = {
      clientOrderId: r.clientOrderId,
      brokerOrderId: String(ack.orderId),
      broker: BROKER_NAME,
      accountId: this.accountId,
      instrument: { symbol: r.instrument.symbol, exchangeSegment: r.instrument.exchangeSegment, securityId },
      side: r.side,
      type: r.type,
      product: r.product,
      timeInForce: r.timeInForce,
      quantity: quantity.toFixed(),
      status: mapDhanStatus(ack.orderStatus ?? 'TRANSIT', 0, quantity.toNumber()),
      filledQuantity: '0',
      createdAt: now,
      updatedAt: now,
      raw: ack,
    };
    if (r.price) order.price = r.price;
    if (r.triggerPrice) order.triggerPrice = r.triggerPrice;
    return order;
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    const p = await this.placeBody(request);
    const now = this.ctx.clock.now();
    try {
      const ack = await this.limiters.orders.schedule(
        () =>
          this.http.request<DhanOrderAck>({
            method: 'POST',
            path: '/orders',
            body: p.body,
            timeoutMs: this.options.orderTimeoutMs,
          }),
        { lane: p.r.origin },
      );
      return this.placedOrder(p, ack, p.qty, now);
    } catch (e) {
      if (!(e instanceof DhanRequestFailed)) throw e;
      const outcome = await this.afterFailedPlacement(e, p.correlationId, p.r.clientOrderId);
      if (outcome instanceof BrokerError) throw outcome;
      return outcome;
    }
  }

  /**
   * has.sliceOrders: POST /orders/slicing splits a quantity above the exchange freeze limit into legs at Dhan; the
   * answer is one {orderId, orderStatus} per leg. All legs carry the clientOrderId as correlationId.
   */
  async placeSlicedOrder(request: OrderRequest): Promise<Order[]> {
    const p = await this.placeBody(request);
    const now = this.ctx.clock.now();
    let acks: DhanOrderAck[];
    try {
      const raw = await this.limiters.orders.schedule(
        () =>
          this.http.request<DhanOrderAck[] | DhanOrderAck>({
            method: 'POST',
            path: '/orders/slicing',
            body: p.body,
            timeoutMs: this.options.orderTimeoutMs,
          }),
        { lane: p.r.origin },
      );
      acks = Array.isArray(raw) ? raw : [raw];
    } catch (e) {
      if (!(e instanceof DhanRequestFailed)) throw e;
      const outcome = await this.afterFailedPlacement(e, p.correlationId, p.r.clientOrderId);
      if (outcome instanceof BrokerError) throw outcome;
      // Some legs exist: the order book has all of them
      return (await this.listOrders()).filter((o) => o.clientOrderId === p.r.clientOrderId);
    }
    // Dhan does not say how it split the quantity: legs read back from the book carry their own quantities
    const legs = acks.map((ack) => this.placedOrder(p, ack, p.qty, now));
    const book = await this.listOrders().catch(() => [] as Order[]);
    const byId = new Map(book.map((o) => [o.brokerOrderId, o]));
    return legs.map((l) => byId.get(l.brokerOrderId) ?? l);
  }

  // A lost or failed answer: the order may exist. Decide by correlationId before anyone re-sends.
  private async afterFailedPlacement(
    e: DhanRequestFailed,
    correlationId: string,
    clientOrderId: string,
  ): Promise<BrokerError | Order> {
    const f = e.failure;
    const mapped = mapDhanFailure(f, { op: 'write', what: 'place order', clientOrderId, cause: e });
    const maybeTaken =
      f.kind === 'timeout' ||
      f.kind === 'dropped' ||
      f.kind === 'bad_response' ||
      (f.kind === 'http' && f.status >= 500);
    if (!maybeTaken) return mapped;
    for (let attempt = 0; attempt < 3; attempt++) {
      await sleep(this.options.reconcileDelayMs * (attempt + 1));
      let found: Order | null;
      try {
        found = await this.findByCorrelation(correlationId);
      } catch {
        continue;
      }
      if (found) return found;
      // Dhan answered 5xx and has no such order: it was not placed; a retry (looked up first) is safe
      if (f.kind === 'http') return mapped;
      break;
    }
    return new UnknownOutcomeError(
      `dhan: placing ${clientOrderId} ${f.kind === 'timeout' ? 'timed out' : 'lost its answer'} and no order with correlationId ${correlationId} is visible yet; look it up (getOrder) before re-sending`,
      { broker: BROKER_NAME, clientOrderId, cause: e },
    );
  }

  private async securityFor(instrument: {
    symbol: string;
    exchangeSegment: string;
    securityId?: string;
    lotSize?: string;
  }): Promise<{ securityId: string; lotSize?: string }> {
    if (instrument.securityId) return { securityId: instrument.securityId, lotSize: instrument.lotSize };
    let rows;
    try {
      rows = await this.instruments.get(this.ctx.clock.now());
    } catch (e) {
      throw new NetworkError('dhan: the instrument master could not be loaded', { broker: BROKER_NAME, cause: e });
    }
    const hit = resolveInstrument(
      rows,
      { symbol: instrument.symbol, exchangeSegment: instrument.exchangeSegment as never },
      { now: this.ctx.clock.now() },
    );
    return { securityId: hit.securityId, lotSize: instrument.lotSize ?? hit.lotSize };
  }

  private async findByCorrelation(correlationId: string): Promise<Order | null> {
    try {
      return await this.getOrder({ clientOrderId: correlationId });
    } catch (e) {
      if (e instanceof OrderNotFoundError) return null;
      throw e;
    }
  }

  async getOrder(ref: OrderRef): Promise<Order> {
    const path = ref.brokerOrderId
      ? `/orders/${encodeURIComponent(ref.brokerOrderId)}`
      : `/orders/external/${encodeURIComponent(toCorrelationId(ref.clientOrderId))}`;
    const raw = await this.call<unknown>({ method: 'GET', path }, 'lookup', 'get order', ref.clientOrderId);
    // A single object per the SDK fixture, a one-element array per the docs sample; a lookup by
    // correlationId could list several: the newest wins
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.length)
      throw new OrderNotFoundError(`dhan: no order ${ref.brokerOrderId ?? ref.clientOrderId}`, { broker: BROKER_NAME });
    const orders = list.map((o) => parseDhanOrder(o, this.pctx())).sort((a, b) => b.createdAt - a.createdAt);
    return orders[0];
  }

  async listOrders(filter?: OrderFilter): Promise<Order[]> {
    const raw = await this.call<unknown[]>({ method: 'GET', path: '/orders' }, 'read', 'list orders');
    const orders = this.parseAll(raw, (o) => parseDhanOrder(o, this.pctx()), 'order');
    return orders
      .filter((o) => !filter?.status || filter.status.includes(o.status))
      .filter((o) => !filter?.symbol || o.instrument.symbol === filter.symbol)
      .filter((o) => filter?.since === undefined || o.createdAt >= filter.since)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async listFills(filter?: OrderFilter): Promise<Fill[]> {
    const [trades, orders] = await Promise.all([
      this.call<unknown[]>({ method: 'GET', path: '/trades' }, 'read', 'list trades'),
      this.listOrders(),
    ]);
    const byId = new Map(orders.map((o) => [o.brokerOrderId, o]));
    return this.parseAll(
      trades,
      (t) => {
        const order = byId.get(String((t as { orderId?: unknown }).orderId));
        return parseDhanTrade(t, { ...this.pctx(), correlationId: order?.clientOrderId });
      },
      'trade',
    )
      .filter((f) => !filter?.symbol || f.instrument.symbol === filter.symbol)
      .filter((f) => filter?.since === undefined || f.ts >= filter.since);
  }

  /** Trades of one order (GET /trades/{order-id}). */
  async fillsOf(ref: OrderRef): Promise<Fill[]> {
    const order = await this.getOrder(ref);
    const raw = await this.call<unknown[]>(
      { method: 'GET', path: `/trades/${encodeURIComponent(order.brokerOrderId as string)}` },
      'read',
      'order trades',
    );
    return (Array.isArray(raw) ? raw : []).map((t) =>
      parseDhanTrade(t, { ...this.pctx(), correlationId: order.clientOrderId }),
    );
  }

  async modifyOrder(ref: OrderRef, patch: OrderPatch): Promise<Order> {
    const p = parseOrderPatch(patch, dhanManifest);
    const current = await this.getOrder(ref);
    if (isTerminalStatus(current.status)) {
      throw new RejectedError(`dhan: order ${current.brokerOrderId} is ${current.status} and cannot be modified`, {
        broker: BROKER_NAME,
      });
    }
    const type = p.type ?? current.type;
    const raw = current.raw as Record<string, unknown>;
    const body: Record<string, unknown> = {
      orderId: current.brokerOrderId,
      orderType: ORDER_TYPE_TO_DHAN[type],
      legName: null,
      // v2 wants the originally placed quantity, not the pending one
      quantity: Number(p.quantity ?? current.quantity),
      price: Number(p.price ?? current.price ?? 0),
      disclosedQuantity: 0,
      validity: current.timeInForce,
    };
    const trigger = p.triggerPrice ?? current.triggerPrice;
    if (type === 'SL' || type === 'SL-M') body.triggerPrice = Number(trigger ?? raw?.triggerPrice ?? 0);
    if (type === 'MARKET' || type === 'SL-M') body.price = 0;
    await this.call<DhanOrderAck>(
      {
        method: 'PUT',
        path: `/orders/${encodeURIComponent(current.brokerOrderId as string)}`,
        body,
        timeoutMs: this.options.orderTimeoutMs,
      },
      'write',
      'modify order',
      current.clientOrderId,
    );
    return this.getOrder({ clientOrderId: current.clientOrderId, brokerOrderId: current.brokerOrderId });
  }

  async cancelOrder(ref: OrderRef): Promise<Order> {
    const current = await this.getOrder(ref);
    if (isTerminalStatus(current.status)) {
      throw new RejectedError(`dhan: order ${current.brokerOrderId} is already ${current.status}`, {
        broker: BROKER_NAME,
      });
    }
    const byId = { clientOrderId: current.clientOrderId, brokerOrderId: current.brokerOrderId };
    try {
      await this.call<DhanOrderAck>(
        {
          method: 'DELETE',
          path: `/orders/${encodeURIComponent(current.brokerOrderId as string)}`,
          timeoutMs: this.options.orderTimeoutMs,
        },
        'write',
        'cancel order',
        current.clientOrderId,
      );
    } catch (e) {
      // A lost answer to a cancel: the order book decides
      if (!(e instanceof UnknownOutcomeError)) throw e;
      await sleep(this.options.reconcileDelayMs);
      const after = await this.getOrder(byId);
      if (isTerminalStatus(after.status)) return after;
      throw e;
    }
    // Dhan answers TRANSIT; wait briefly for the exchange's CANCELLED
    const deadline = Date.now() + this.options.cancelWaitMs;
    let latest = await this.getOrder(byId);
    while (!isTerminalStatus(latest.status) && Date.now() < deadline) {
      await sleep(50);
      latest = await this.getOrder(byId);
    }
    return latest;
  }

  // ---- account

  async positions(): Promise<Position[]> {
    const raw = await this.call<unknown[]>({ method: 'GET', path: '/positions' }, 'read', 'positions');
    return this.parseAll(raw, (p) => parseDhanPosition(p, this.pctx()), 'position');
  }

  async holdings(): Promise<Holding[]> {
    try {
      const raw = await this.call<unknown[]>({ method: 'GET', path: '/holdings' }, 'read', 'holdings');
      return (Array.isArray(raw) ? raw : []).map((h) => parseDhanHolding(h, this.pctx()));
    } catch (e) {
      // Community reports DH-1111 for an account without holdings (unconfirmed)
      if (e instanceof BrokerError && e.brokerCode === 'DH-1111') return [];
      throw e;
    }
  }

  async funds(): Promise<Funds> {
    return parseDhanFunds(
      await this.call<unknown>({ method: 'GET', path: '/fundlimit' }, 'read', 'fund limit'),
      this.pctx(),
    );
  }

  async profile(): Promise<Profile> {
    return parseDhanProfile(
      await this.call<unknown>({ method: 'GET', path: '/profile' }, 'read', 'profile'),
      this.pctx(),
    );
  }

  // ---- capabilities (see the manifest's `has`)

  sessionExpiry(): Promise<SessionInfo> {
    return session.sessionExpiry(this.caps.session);
  }

  renewSession(): Promise<SessionToken> {
    return session.renewSession(this.caps.session);
  }

  loginSession(secrets?: LoginSecrets): Promise<SessionToken> {
    const c = this.ctx.credentials;
    return session.loginSession(this.caps.session, secrets ?? { pin: c.pin ?? '', totpSecret: c.totpSecret ?? '' });
  }

  getStaticIp(): Promise<StaticIpInfo> {
    return controls.getStaticIp(this.caps.controls);
  }

  /** Dhan's kill switch: activating needs no open orders/positions and blocks all trading for the day. */
  getKillSwitch(): Promise<KillSwitchState> {
    return controls.getKillSwitch(this.caps.controls);
  }

  setKillSwitch(active: boolean): Promise<KillSwitchState> {
    return controls.setKillSwitch(this.caps.controls, active);
  }

  getPnlExit(): Promise<PnlExitState | null> {
    return controls.getPnlExit(this.caps.controls);
  }

  setPnlExit(rule: PnlExitRule): Promise<PnlExitState> {
    return controls.setPnlExit(this.caps.controls, rule);
  }

  stopPnlExit(): Promise<void> {
    return controls.stopPnlExit(this.caps.controls);
  }

  placeBracketOrder(request: BracketOrderRequest): Promise<BracketOrder> {
    return superOrders.placeSuperOrder(this.caps.supers, request);
  }

  getBracketOrder(ref: OrderRef): Promise<BracketOrder> {
    return superOrders.getSuperOrder(this.caps.supers, ref);
  }

  listBracketOrders(): Promise<BracketOrder[]> {
    return superOrders.listSuperOrders(this.caps.supers);
  }

  modifyBracketOrder(ref: OrderRef, leg: BracketLegName, patch: BracketLegPatch): Promise<BracketOrder> {
    return superOrders.modifySuperOrder(this.caps.supers, ref, leg, patch);
  }

  cancelBracketOrder(ref: OrderRef, leg?: BracketLegName): Promise<BracketOrder> {
    return superOrders.cancelSuperOrder(this.caps.supers, ref, leg);
  }

  subscribeQuotes(instruments: InstrumentRef[], onTick: TickHandler, options?: SubscribeOptions): Unsubscribe {
    this.marketFeed ??= new DhanMarketFeed({
      url: this.options.marketFeedUrl,
      clientId: this.clientId,
      accessToken: () => this.http.accessToken,
      now: () => this.ctx.clock.now(),
      backoff: this.options.orderUpdateBackoff,
    });
    // Refs without a securityId are resolved from the instrument master first
    return this.marketFeed.subscribeResolving(
      instruments,
      async (i) => (await this.securityFor(i)).securityId,
      onTick,
      options?.onError,
    );
  }

  // ---- instruments

  async searchInstruments(query: InstrumentQuery): Promise<Instrument[]> {
    const rows = await this.instruments.get(this.ctx.clock.now());
    const text = query.text.trim().toUpperCase();
    const limit = query.limit ?? 20;
    const scored: { score: number; inst: Instrument }[] = [];
    for (const row of rows) {
      if (query.exchangeSegment && row.exchangeSegment !== query.exchangeSegment) continue;
      const sym = row.tradingSymbol.toUpperCase();
      const score =
        sym === text
          ? 0
          : row.underlyingSymbol.toUpperCase() === text
            ? 1
            : sym.startsWith(text)
              ? 2
              : sym.includes(text) || row.displayName.toUpperCase().includes(text)
                ? 3
                : -1;
      if (score < 0) continue;
      const inst = withFreezeQuantity(rowToInstrument(row), row, this.options.freezeQuantities);
      if (inst) scored.push({ score, inst });
    }
    return scored
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map((s) => s.inst);
  }

  async getInstrument(ref: InstrumentRef): Promise<Instrument | null> {
    const rows = await this.instruments.get(this.ctx.clock.now());
    try {
      const hit = resolveInstrument(
        rows,
        { symbol: ref.symbol, exchangeSegment: ref.exchangeSegment, securityId: ref.securityId },
        { now: this.ctx.clock.now() },
      );
      return withFreezeQuantity(rowToInstrument(hit.row), hit.row, this.options.freezeQuantities);
    } catch (e) {
      if (e instanceof InstrumentResolutionError) return null;
      throw e;
    }
  }

  // ---- updates

  subscribeOrderUpdates(onUpdate: OrderUpdateHandler, options?: SubscribeOptions): Unsubscribe {
    let done = false;
    const dedupe = createFillDeduper(onUpdate);
    const deliver = (u: OrderUpdate) => {
      if (!done) dedupe(u);
    };
    // Cumulative filled quantity per order: a fill is the increase, keyed (orderId, filled) so re-sends dedupe
    const filledSoFar = new Map<string, number>();
    const emitOrder = (order: Order, tracked: boolean, lastTradePrice?: string) => {
      deliver({ kind: 'order', tracked, order, ts: order.updatedAt });
      const filled = Number(order.filledQuantity);
      const id = order.brokerOrderId as string;
      const before = filledSoFar.get(id) ?? 0;
      if (filled <= before) return;
      filledSoFar.set(id, filled);
      const price = lastTradePrice && Number(lastTradePrice) > 0 ? lastTradePrice : order.averagePrice;
      if (!price || !(Number(price) > 0)) return;
      const fill: Fill = {
        tradeId: `${id}:${filled}`,
        clientOrderId: order.clientOrderId,
        brokerOrderId: id,
        broker: BROKER_NAME,
        accountId: this.accountId,
        instrument: order.instrument,
        side: order.side,
        product: order.product,
        quantity: String(filled - before),
        price,
        ts: order.updatedAt,
        raw: order.raw,
      };
      deliver({ kind: 'fill', tracked, fill, ts: fill.ts } satisfies OrderUpdate);
    };
    const feed = new DhanOrderFeed({
      url: this.options.orderUpdatesUrl,
      clientId: this.clientId,
      // After a renewal or a login, reconnects use the new token
      accessToken: () => this.http.accessToken,
      backoff: this.options.orderUpdateBackoff,
      onError: (e) => options?.onError?.(e),
      onMessage: (msg) => {
        try {
          const parsed = parseOrderAlert(msg, { ...this.pctx(), clientId: this.clientId });
          if (parsed) emitOrder(parsed.order, parsed.tracked, parsed.lastTradePrice);
        } catch (e) {
          options?.onError?.(e instanceof Error ? e : new Error(String(e)));
        }
      },
      // After every (re)connect, the order book fills the gap: updates sent before the login or while away
      onConnected: () => {
        this.listOrders().then(
          (orders) => {
            for (const o of orders)
              emitOrder(o, isTrackedCorrelation((o.raw as { correlationId?: unknown } | null)?.correlationId));
          },
          (e: unknown) => options?.onError?.(e instanceof Error ? e : new Error(String(e))),
        );
      },
    });
    this.feeds.add(feed);
    feed.start();
    return () => {
      if (done) return;
      done = true;
      feed.stop();
      this.feeds.delete(feed);
    };
  }

  parseWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): OrderUpdate | null {
    return parseDhanPostback(headers, body, { ...this.pctx(), clientId: this.clientId });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.feeds) f.stop();
    this.feeds.clear();
    this.marketFeed?.close();
    this.limiters.release();
  }
}
