// Deployment options of the Dhan plugin, validated by the loader. Credentials are NOT options: they come
// per account from ctx.credentials (clientId, accessToken).
import { z } from 'zod';
import { DHAN_SCRIP_MASTER_URL } from './instruments/scrip-master.load';

export const DHAN_PRODUCTION_URL = 'https://api.dhan.co/v2';
/** DevPortal sandbox (developer.dhanhq.co tokens); community-documented, unconfirmed by an official page. */
export const DHAN_SANDBOX_URL = 'https://sandbox.dhan.co/v2';
export const DHAN_ORDER_UPDATES_URL = 'wss://api-order-update.dhan.co';
/** Token generation (PIN + TOTP) lives on its own host. */
export const DHAN_AUTH_URL = 'https://auth.dhan.co';
/** Live market feed WebSocket (binary packets, DhanHQ-py marketfeed.py). */
export const DHAN_MARKET_FEED_URL = 'wss://api-feed.dhan.co';

const windowLimit = z.number().int().positive();

export const dhanOptionsSchema = z.object({
  /** REST base: production (default), DHAN_SANDBOX_URL, or a simulator. */
  baseUrl: z.string().url().default(DHAN_PRODUCTION_URL),
  orderUpdatesUrl: z.string().url().default(DHAN_ORDER_UPDATES_URL),
  marketFeedUrl: z.string().url().default(DHAN_MARKET_FEED_URL),
  /** Host of generateAccessToken (PIN + TOTP login). */
  authBaseUrl: z.string().url().default(DHAN_AUTH_URL),
  /**
   * HTTP method of {baseUrl}/RenewToken. Disputed: the official SDK uses GET, a community reference POST, and a user
   * who tried POST got DH-905 (DhanHQ-py #108). GET until Dhan says otherwise; the simulator answers only GET.
   */
  renewTokenMethod: z.enum(['GET', 'POST']).default('GET'),
  /** Instrument master: http(s) URL or file path, used when an order names a symbol without securityId. */
  instrumentsSource: z.string().min(1).default(DHAN_SCRIP_MASTER_URL),
  instrumentsTtlMs: z.number().int().positive().default(12 * 60 * 60 * 1000),
  /**
   * Exchange freeze limits in units, by underlying (e.g. { NIFTY: 1800 }) or trading symbol; shown as
   * Instrument.freezeQuantity so the host knows when to slice. None by default: the exchanges revise them.
   */
  freezeQuantities: z.record(z.string(), z.number().int().positive()).default({}),
  /** Deadline of one read (GET). */
  timeoutMs: z.number().int().positive().default(10_000),
  /** Deadline of one write (place, modify, cancel); past it the outcome is unknown and is reconciled. */
  orderTimeoutMs: z.number().int().positive().default(10_000),
  /** Pause before looking an order up by correlationId after a lost answer. */
  reconcileDelayMs: z.number().int().nonnegative().default(500),
  /** Look the correlationId up before every placement, so a retried clientOrderId never places twice. */
  lookupBeforePlace: z.boolean().default(true),
  /** How long cancelOrder waits for Dhan's TRANSIT answer to become CANCELLED. */
  cancelWaitMs: z.number().int().nonnegative().default(2_000),
  /**
   * Order-API caps per account. Dhan allows 10/s, 250/min, 1000/h, 7000/day since the 2026 SEBI rules, and 10/s is
   * also the exchange threshold above which an algo must be registered: we stay below it at 8/s. Requests over a cap
   * queue (fairly across OrderRequest.origin), they are not refused.
   */
  rateLimits: z.object({
    perSecond: windowLimit.default(8),
    perMinute: windowLimit.default(250),
    perHour: windowLimit.default(1000),
    perDay: windowLimit.default(7000),
    /** A queued request still waiting after this long fails with RateLimitError. */
    queueTimeoutMs: z.number().int().positive().default(5_000),
    /** Added to every window on top of the in-flight accounting (clock granularity). */
    safetyMarginMs: z.number().int().nonnegative().default(50),
  }).prefault({}),
  /** Reads (order book, positions...) per second; Dhan's non-trading limit is 20/s. */
  readsPerSecond: windowLimit.default(20),
  orderUpdateBackoff: z.object({
    initialMs: z.number().int().positive().default(500),
    maxMs: z.number().int().positive().default(30_000),
  }).prefault({}),
});

export type DhanOptions = z.output<typeof dhanOptionsSchema>;
export type DhanOptionsInput = z.input<typeof dhanOptionsSchema>;
