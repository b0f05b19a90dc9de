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

// Each option's description is what the host's .env.example prints (BROKER_DHAN_<OPTION>).
export const dhanOptionsSchema = z.object({
  baseUrl: z
    .string()
    .url()
    .default(DHAN_PRODUCTION_URL)
    .describe('DhanHQ REST base (sandbox: https://sandbox.dhan.co/v2, or the local simulator)'),
  orderUpdatesUrl: z
    .string()
    .url()
    .default(DHAN_ORDER_UPDATES_URL)
    .describe('DhanHQ order-update WebSocket (point it at the simulator in tests)'),
  marketFeedUrl: z.string().url().default(DHAN_MARKET_FEED_URL).describe('DhanHQ live market feed WebSocket'),
  authBaseUrl: z.string().url().default(DHAN_AUTH_URL).describe('Host of generateAccessToken (PIN + TOTP login)'),
  // Disputed: the official SDK uses GET, a community reference POST, and a user who tried POST got DH-905
  // (DhanHQ-py #108). GET until Dhan says otherwise; the simulator answers only GET.
  renewTokenMethod: z.enum(['GET', 'POST']).default('GET').describe('HTTP method of {baseUrl}/RenewToken'),
  instrumentsSource: z
    .string()
    .min(1)
    .default(DHAN_SCRIP_MASTER_URL)
    .describe('Instrument master CSV: http(s) URL or file path'),
  instrumentsOnStart: z
    .boolean()
    .optional()
    .describe(
      'Load the instrument master in the background at start when none is stored (default: on, off when NODE_ENV=test)',
    ),
  instrumentsRefreshCron: z
    .string()
    .min(1)
    .default('0 8 * * *')
    .describe('When the stored instrument master is reloaded (cron, Asia/Kolkata; default 08:00 IST daily)'),
  instrumentsTtlMs: z
    .number()
    .int()
    .positive()
    .default(12 * 60 * 60 * 1000)
    .describe('How long a client keeps its own copy of the master (orders that name a symbol without securityId)'),
  freezeQuantities: z
    .record(z.string(), z.number().int().positive())
    .default({})
    .describe(
      'Exchange freeze limits in units by underlying or trading symbol, e.g. {"NIFTY":1800}: shown as Instrument.freezeQuantity so the host knows when to slice (none by default: the exchanges revise them)',
    ),
  timeoutMs: z.number().int().positive().default(10_000).describe('Deadline of one read (GET), ms'),
  orderTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Deadline of one write (place, modify, cancel), ms; past it the outcome is unknown and is reconciled'),
  reconcileDelayMs: z
    .number()
    .int()
    .nonnegative()
    .default(500)
    .describe('Pause before looking an order up by correlationId after a lost answer, ms'),
  lookupBeforePlace: z
    .boolean()
    .default(true)
    .describe('Look the correlationId up before every placement, so a retried clientOrderId never places twice'),
  cancelWaitMs: z
    .number()
    .int()
    .nonnegative()
    .default(2_000)
    .describe("How long cancelOrder waits for Dhan's TRANSIT answer to become CANCELLED, ms"),
  // Dhan allows 10/s, 250/min, 1000/h, 7000/day since the 2026 SEBI rules, and 10/s is also the exchange threshold
  // above which an algo must be registered: we stay below it at 8/s. Requests over a cap queue (fairly across
  // OrderRequest.origin), they are not refused.
  rateLimits: z
    .object({
      perSecond: windowLimit.default(8),
      perMinute: windowLimit.default(250),
      perHour: windowLimit.default(1000),
      perDay: windowLimit.default(7000),
      /** A queued request still waiting after this long fails with RateLimitError. */
      queueTimeoutMs: z.number().int().positive().default(5_000),
      /** Added to every window on top of the in-flight accounting (clock granularity). */
      safetyMarginMs: z.number().int().nonnegative().default(50),
    })
    .prefault({})
    .describe(
      'Order-API caps per account (JSON: perSecond, perMinute, perHour, perDay, queueTimeoutMs, safetyMarginMs); over a cap, requests queue',
    ),
  readsPerSecond: windowLimit
    .default(20)
    .describe("Reads (order book, positions...) per second; Dhan's non-trading limit is 20/s"),
  orderUpdateBackoff: z
    .object({
      initialMs: z.number().int().positive().default(500),
      maxMs: z.number().int().positive().default(30_000),
    })
    .prefault({})
    .describe('Reconnect backoff of the order-update WebSocket (JSON: initialMs, maxMs)'),
});

export type DhanOptions = z.output<typeof dhanOptionsSchema>;
export type DhanOptionsInput = z.input<typeof dhanOptionsSchema>;
