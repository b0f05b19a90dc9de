// What a plugin gets (BrokerContext) and what it returns (BrokerClient)

import type {
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
  OrderUpdate,
  OrderUpdateHandler,
  Position,
  Profile,
  Unsubscribe,
} from './models';
import type { BrokerError } from './errors';
import type { KillSwitchState, PnlExitRule, PnlExitState, StaticIpInfo } from './account-controls.models';
import type { BracketLegName, BracketLegPatch, BracketOrder, BracketOrderRequest } from './bracket-order.models';
import type { TickHandler } from './market-data.models';
import type { LoginSecrets, SessionInfo, SessionToken } from './session.models';
import type { BrokerHas } from './manifest';

export type LogMeta = Record<string, unknown>;
/** Structured logger; never log credentials. */
export type BrokerLogger = {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
};

/** Injected time source so tests and replays control "now" (epoch ms, UTC). */
export type Clock = { now(): number };

/** Last traded prices from anywhere (market data feed, alerts). Returns a decimal string or null when unknown. */
export type QuoteSource = {
  lastPrice(instrument: InstrumentRef): Promise<string | null> | string | null;
};

/**
 * Everything the host hands to `create`. One client serves one account.
 *
 * @example
 * const client = await loaded.createClient({
 *   logger, clock: { now: Date.now }, accountId: 'strategy-42',
 *   credentials: { clientId: '1100003626', accessToken: '…' },
 * });
 */
export type BrokerContext = {
  logger: BrokerLogger;
  clock: Clock;
  /** The account this client acts for (paper: the strategy id; live: our broker-account id). */
  accountId: string;
  /** Decrypted per-account secrets, keyed by the names in manifest.requiredCredentials. */
  credentials: Record<string, string>;
  /** HTTP client; defaults to the global fetch. Lets the host add tracing or point tests at a simulator. */
  fetch?: typeof fetch;
  /** Optional price source (paper uses it for MARKET orders without a reference price). */
  quotes?: QuoteSource;
  /** Aborted when the host shuts down. */
  signal?: AbortSignal;
};

export type SubscribeOptions = {
  /** Called for stream problems that do not end the subscription (reconnects, parse failures). */
  onError?: (error: BrokerError | Error) => void;
};

/**
 * A connected broker account. All methods are async and throw typed BrokerErrors only.
 * Methods whose `has` flag is false must throw NotSupportedError (use `notSupported(broker, 'modifyOrder')`);
 * the host checks `has` first and never calls them.
 *
 * @example
 * const order = await client.placeOrder({
 *   clientOrderId: 'ad-7f3k2m9q',            // ours, created and stored BEFORE the call
 *   instrument: { symbol: 'RELIANCE', exchangeSegment: 'NSE_EQ', securityId: '2885' },
 *   side: 'BUY', type: 'MARKET', product: 'INTRADAY', quantity: '10',
 *   referencePrice: '2950.50',                // the alert's price; paper fills against it
 * });
 * // order.status: 'pending_submit' | 'open' | 'filled' | ...; follow it with subscribeOrderUpdates or getOrder
 */
export type BrokerClient = {
  /** manifest.name of the plugin that made this client. */
  readonly broker: string;
  readonly accountId: string;

  /**
   * Places an order. Idempotent per clientOrderId where the broker allows: a second call with a used
   * clientOrderId throws DuplicateOrderError. On a timeout after sending, throws UnknownOutcomeError:
   * the caller must `getOrder({ clientOrderId })` before deciding to re-send.
   */
  placeOrder(request: OrderRequest): Promise<Order>;
  /** Changes price / quantity / trigger of a resting order (see manifest.features.modify). */
  modifyOrder(ref: OrderRef, patch: OrderPatch): Promise<Order>;
  /** Cancels a resting order and returns it; cancelling a terminal order throws RejectedError. */
  cancelOrder(ref: OrderRef): Promise<Order>;
  /** Looks an order up by clientOrderId (or brokerOrderId); throws OrderNotFoundError when absent. */
  getOrder(ref: OrderRef): Promise<Order>;
  /** Today's orders of this account (newest first), optionally filtered. */
  listOrders(filter?: OrderFilter): Promise<Order[]>;
  /** Fills of this account, for reconciliation; optional. */
  listFills?(filter?: OrderFilter): Promise<Fill[]>;

  positions(): Promise<Position[]>;
  holdings(): Promise<Holding[]>;
  funds(): Promise<Funds>;
  /** Account identity and token health; a cheap call suitable as a credentials check. */
  profile(): Promise<Profile>;

  searchInstruments(query: InstrumentQuery): Promise<Instrument[]>;
  /** Resolves a ref to its full spec; null when unknown. */
  getInstrument(ref: InstrumentRef): Promise<Instrument | null>;

  /**
   * Pushes order and fill updates of this account. A fill (by tradeId) is delivered at most once per
   * subscription, even when the broker re-sends it (use `createFillDeduper`). Returns an idempotent unsubscribe.
   */
  subscribeOrderUpdates(onUpdate: OrderUpdateHandler, options?: SubscribeOptions): Unsubscribe;
  /**
   * Optional: turns a broker postback into an update of this account, null when not its own. The host does not call
   * it (postbacks are unauthenticated: it reads the order back instead); the plugin-level `parseWebhook` of the
   * definition tells the host which order a postback names.
   */
  parseWebhook?(headers: Record<string, string | string[] | undefined>, body: unknown): OrderUpdate | null;

  // ---- optional capabilities: present when the manifest's `has` declares them (see CAPABILITY_METHODS)

  /** has.session.expiry: when the current access token stops working (from the token itself or a broker call). */
  sessionExpiry?(): Promise<SessionInfo>;
  /**
   * has.session.renew: extends the still-valid token. The client uses the new token at once; store it (encrypted).
   * An already expired token throws TokenExpiredError (log in again); a token the broker will not renew throws AuthError.
   */
  renewSession?(): Promise<SessionToken>;
  /**
   * has.session.login: a new token from PIN + TOTP (the plugin computes the TOTP code from the secret).
   * Wrong PIN or secret: AuthError. The client uses the new token at once.
   */
  loginSession?(secrets: LoginSecrets): Promise<SessionToken>;

  /** has.staticIp: the IPs the broker accepts orders from (compare with this server's egress IP). */
  getStaticIp?(): Promise<StaticIpInfo>;

  /** has.killSwitch: the broker's own kill switch. While active, placeOrder throws KillSwitchActiveError. */
  getKillSwitch?(): Promise<KillSwitchState>;
  /** Activating needs a flat account (no open positions, no pending orders): else RejectedError. */
  setKillSwitch?(active: boolean): Promise<KillSwitchState>;

  /** has.pnlExit: today's P&L exit at the broker, or null when none is set. */
  getPnlExit?(): Promise<PnlExitState | null>;
  /** Sets (or replaces) today's P&L exit. A threshold already crossed exits at once. */
  setPnlExit?(rule: PnlExitRule): Promise<PnlExitState>;
  stopPnlExit?(): Promise<void>;

  /**
   * has.bracketOrders: entry + target + stop-loss (+ trailing) held by the broker; target and stop-loss cancel each other.
   * Idempotent per clientOrderId like placeOrder.
   */
  placeBracketOrder?(request: BracketOrderRequest): Promise<BracketOrder>;
  getBracketOrder?(ref: OrderRef): Promise<BracketOrder>;
  modifyBracketOrder?(ref: OrderRef, leg: BracketLegName, patch: BracketLegPatch): Promise<BracketOrder>;
  /** Cancels one leg; cancelling 'entry' cancels the whole bracket. A cancelled exit leg cannot be added back. */
  cancelBracketOrder?(ref: OrderRef, leg?: BracketLegName): Promise<BracketOrder>;

  /**
   * has.sliceOrders: places a quantity above the exchange freeze limit (Instrument.freezeQuantity) as several legs
   * in one call. Every leg carries the request's clientOrderId and its own brokerOrderId.
   */
  placeSlicedOrder?(request: OrderRequest): Promise<Order[]>;

  /**
   * has.batchPlacement: places these orders (MARKET, one account and instrument) in one call, in the given order,
   * each as placeOrder would place it after the one before; resolves with their orders in the same order.
   * Idempotent per clientOrderId like placeOrder. When it throws, any of them may have been placed: the caller
   * looks each up (getOrder) before sending it again.
   */
  placeOrders?(requests: OrderRequest[]): Promise<Order[]>;

  /**
   * has.marketData: live prices of these instruments until unsubscribed. Ticks of one instrument arrive in order;
   * a reconnect resubscribes by itself (report problems through options.onError). Unsubscribe is idempotent.
   */
  subscribeQuotes?(instruments: InstrumentRef[], onTick: TickHandler, options?: SubscribeOptions): Unsubscribe;

  /**
   * has.marketHours: expires this account's open DAY orders whose session (the venue's calendar) ended by `at` and
   * returns them, now `expired`; `allAccounts` does it for every account of the venue at once (the host's
   * session-end job). A venue that keeps no hours has nothing to expire.
   */
  expireDayOrders?(at?: number, scope?: { allAccounts?: boolean }): Promise<Order[]>;

  /** Releases sockets, timers and pools. Safe to call twice. */
  close(): Promise<void>;
};

/** Method names a `has` flag promises, used by the loader's check. */
export const HAS_METHODS = {
  placeOrder: ['placeOrder'],
  cancelOrder: ['cancelOrder'],
  modifyOrder: ['modifyOrder'],
  getOrder: ['getOrder'],
  listOrders: ['listOrders'],
  positions: ['positions'],
  holdings: ['holdings'],
  funds: ['funds'],
  profile: ['profile'],
  searchInstruments: ['searchInstruments', 'getInstrument'],
} as const;

/** Optional capabilities: the `has` path that declares each and the client methods it promises. */
export const CAPABILITY_METHODS = {
  'session.expiry': ['sessionExpiry'],
  'session.renew': ['renewSession'],
  'session.login': ['loginSession'],
  staticIp: ['getStaticIp'],
  killSwitch: ['getKillSwitch', 'setKillSwitch'],
  pnlExit: ['getPnlExit', 'setPnlExit', 'stopPnlExit'],
  bracketOrders: ['placeBracketOrder', 'getBracketOrder', 'modifyBracketOrder', 'cancelBracketOrder'],
  sliceOrders: ['placeSlicedOrder'],
  batchPlacement: ['placeOrders'],
  marketData: ['subscribeQuotes'],
  marketHours: ['expireDayOrders'],
} as const;
export type Capability = keyof typeof CAPABILITY_METHODS;

/** Whether the manifest declares a capability, e.g. `hasCapability(manifest.has, 'session.renew')`. */
export function hasCapability(has: BrokerHas, capability: Capability): boolean {
  switch (capability) {
    case 'session.expiry':
      return has.session.expiry;
    case 'session.renew':
      return has.session.renew;
    case 'session.login':
      return has.session.login;
    case 'marketData':
      return has.marketData !== false;
    default:
      return has[capability];
  }
}
