// The object a plugin's conformance test hands to runBrokerConformance

import type { BrokerClient } from '../client';
import type { InstrumentLookup } from '../instrument-master.models';
import type { Instrument, Order } from '../models';
import type { WebhookRequest } from '../webhook.models';
import type { LoginSecrets } from '../session.models';

/** Conformance card ids, e.g. "BC-O01". */
export type ConformanceCardId = string;

/**
 * Hooks that let one suite drive any broker: the paper engine directly, a live plugin against an HTTP simulator.
 * Every async hook may take a while (a simulator round-trip); the suite polls with `timeoutMs`.
 *
 * @example
 * // paper
 * runBrokerConformance({ harness: {
 *   plugin: require('../src'), pluginOptions: { databaseUrl },
 *   instrument: { symbol: 'SBIN', exchangeSegment: 'NSE_EQ', lotSize: '1', tickSize: '0.05' },
 *   createClient: () => loaded.createClient(ctxFor(newAccountId())),
 *   setMarketPrice: (instrument, price) => priceClient.updatePrice(instrument, price),
 *   redeliverLastUpdate: async () => paperTestHooks.redeliverLast(),
 * } });
 * // live plugin vs simulator
 * runBrokerConformance({ harness: {
 *   plugin: require('../src'), pluginOptions: { baseUrl: sim.url },
 *   instrument: sim.instruments.sbin,
 *   createClient: () => loaded.createClient({ ...ctx, credentials: sim.goodCredentials }),
 *   createClientWithBadCredentials: () => loaded.createClient({ ...ctx, credentials: { clientId: 'x', accessToken: 'bad' } }),
 *   setMarketPrice: (i, p) => sim.setLtp(i.securityId!, p),        // the simulator fills/crosses against its LTP
 *   triggerRateLimit: async (client) => { sim.failNextWith(429); await client.funds(); },
 *   redeliverLastUpdate: () => sim.replayLastOrderUpdate(),
 * } });
 */
export type BrokerConformanceHarness = {
  /** The plugin module exports (or the defineBroker result). BC-L01 loads it with `pluginOptions`. */
  plugin: unknown;
  /** Deployment options given to the loader in BC-L01. */
  pluginOptions?: unknown;
  /**
   * A liquid instrument every order scenario trades. Scenarios trade `lotSize` units (or 2 lots) at
   * prices derived from `basePrice` and rounded to `tickSize`.
   */
  instrument: Instrument;
  /** Market price scenarios start from (decimal string). Default "100". */
  basePrice?: string;
  /**
   * A fresh client with valid credentials. Prefer an isolated (empty) account per call; scenarios
   * compare before/after where they cannot assume one. The suite closes every client it gets.
   */
  createClient(): Promise<BrokerClient>;
  /** A client whose credentials the broker refuses (may itself throw AuthError). Needed by BC-E01. */
  createClientWithBadCredentials?(): Promise<BrokerClient>;
  /**
   * Sets the last traded price of `instrument`. MARKET orders placed afterwards fill near it, and resting
   * LIMIT/SL orders whose price it crosses must fill (eventually; the suite polls getOrder).
   */
  setMarketPrice(instrument: Instrument, price: string): Promise<void>;
  /**
   * Makes the broker throttle and performs a call on `client` that must therefore fail.
   * The returned promise must REJECT with what the client threw (expected: RateLimitError). Needed by BC-E05.
   */
  triggerRateLimit?(client: BrokerClient): Promise<unknown>;
  /**
   * Makes the broker (or its stream) deliver the most recent order/fill update again, as after a reconnect.
   * Needed by BC-S01.
   */
  redeliverLastUpdate?(): Promise<void>;
  /**
   * A client whose session the suite may renew or replace (BC-C02, BC-C03): give it credentials of its own, so the
   * clients of other cards keep working after its token changes. Needed by the session cards.
   */
  createSessionClient?(): Promise<BrokerClient>;
  /** PIN and TOTP secret that the broker accepts for the account of createSessionClient. Needed by BC-C03. */
  loginSecrets?: LoginSecrets;
  /**
   * An instrument with a freeze limit and a quantity above it that placeSlicedOrder must split (BC-C09);
   * `setMarketPrice` must work for it.
   */
  sliceOrder?: { instrument: Instrument; quantity: string };
  /**
   * The postback the broker would send about `order` (headers and raw body), for has.webhooks. Needed by BC-W01.
   * @example postbackFor: (order) => ({ headers: {}, body: JSON.stringify({ orderId: order.brokerOrderId, correlationId: order.clientOrderId }) })
   */
  postbackFor?(order: Order): WebhookRequest;
  /**
   * Tickers and the security id each must resolve to against the plugin's own master (has.instrumentMaster), which
   * BC-I03 downloads with `pluginOptions`. Needed by BC-I03.
   */
  instrumentLookups?: Array<{ lookup: InstrumentLookup; securityId: string }>;
  /** A ticker the master does not know (BC-I03); default NO-SUCH-SYMBOL-XYZ. */
  unknownSymbol?: InstrumentLookup;
  /** "Now" for resolving `instrumentLookups` (a master whose contracts expire needs a fixed date); default Date.now(). */
  instrumentsNow?: number;
  /** Waits until in-flight updates have been delivered. Default: 100 ms pause. */
  settle?(): Promise<void>;
  /** Poll deadline for asynchronous outcomes (fills, cancels). Default 5000 ms. */
  timeoutMs?: number;
  /** Cards to skip with a reason, e.g. `{ 'BC-O09': 'broker has no idempotency key' }`. */
  skip?: Record<ConformanceCardId, string>;
  /** Called once after all cards (close servers, drop databases). */
  teardown?(): Promise<void>;
};

export type BrokerConformanceOptions = {
  /** Label for the top-level describe block; defaults to the manifest name. */
  name?: string;
  harness: BrokerConformanceHarness;
};
