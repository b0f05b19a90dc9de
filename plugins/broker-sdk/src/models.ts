// Normalized broker models. Money and quantities are decimal strings (never floats), times are epoch ms (UTC).
// Every model a plugin returns keeps the broker's payload in `raw`; only the plugin itself reads it.

import Decimal from 'decimal.js';
import { z } from 'zod';
import {
  exchangeSegmentSchema,
  instrumentTypeSchema,
  orderStatusSchema,
  orderTypeSchema,
  productSchema,
  sideSchema,
  timeInForceSchema,
} from './enums';

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const NON_NEGATIVE_RE = /^\d+(\.\d+)?$/;

/** A signed decimal string such as "-12.50". */
export const decimalString = z.string().regex(DECIMAL_RE, 'must be a decimal string like "12.50"');
/** A decimal string >= 0. */
export const nonNegativeDecimal = z.string().regex(NON_NEGATIVE_RE, 'must be a non-negative decimal string');
/** A decimal string > 0. */
export const positiveDecimal = nonNegativeDecimal.refine((v) => new Decimal(v).gt(0), 'must be greater than 0');
/** Epoch milliseconds (UTC). */
export const epochMs = z.number().int().nonnegative();

export type DecimalString = string;
export type EpochMs = number;

/** Identifies an instrument: our symbol plus its segment; securityId is the broker's numeric id when known. */
export const instrumentRefSchema = z.object({
  symbol: z.string().min(1),
  exchangeSegment: exchangeSegmentSchema,
  securityId: z.string().min(1).optional(),
});
export type InstrumentRef = z.infer<typeof instrumentRefSchema>;

/** A tradable instrument with its contract specification. `expiry` is an IST date `YYYY-MM-DD`. */
export const instrumentSchema = instrumentRefSchema.extend({
  lotSize: positiveDecimal,
  tickSize: positiveDecimal,
  expiry: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  instrumentType: instrumentTypeSchema.optional(),
  name: z.string().optional(),
  // Exchange freeze limit: one order may carry at most this many units (split larger ones, see has.sliceOrders)
  freezeQuantity: positiveDecimal.optional(),
  raw: z.unknown().optional(),
});
export type Instrument = z.infer<typeof instrumentSchema>;

/** What an order names: a ref, optionally carrying the contract spec (paper uses lotSize/tickSize when present). */
export const orderInstrumentSchema = instrumentRefSchema.extend({
  lotSize: positiveDecimal.optional(),
  tickSize: positiveDecimal.optional(),
  expiry: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  instrumentType: instrumentTypeSchema.optional(),
});
export type OrderInstrument = z.infer<typeof orderInstrumentSchema>;

/** clientOrderId is OURS: created before the call, the idempotency and reconciliation key (max 30 chars, [A-Za-z0-9_-]). */
export const clientOrderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,30}$/, 'clientOrderId: 1-30 chars of [A-Za-z0-9_-]');

export const orderRefSchema = z.object({
  clientOrderId: clientOrderIdSchema,
  brokerOrderId: z.string().min(1).optional(),
});
export type OrderRef = z.infer<typeof orderRefSchema>;

export const orderRequestSchema = z.object({
  clientOrderId: clientOrderIdSchema,
  instrument: orderInstrumentSchema,
  side: sideSchema,
  type: orderTypeSchema,
  product: productSchema,
  timeInForce: timeInForceSchema.default('DAY'),
  quantity: decimalString,
  price: decimalString.optional(),
  triggerPrice: decimalString.optional(),
  // The alert's price. Paper fills MARKET orders against it; live brokers ignore it
  referencePrice: positiveDecimal.optional(),
  tag: z.string().max(100).optional(),
  // Who asked (e.g. the strategy id): a plugin's per-account rate cap queues fairly across origins
  origin: z.string().max(100).optional(),
});
/** Input accepted by placeOrder (timeInForce defaults to DAY). */
export type OrderRequest = z.input<typeof orderRequestSchema>;

export const orderPatchSchema = z.object({
  quantity: positiveDecimal.optional(),
  price: positiveDecimal.optional(),
  triggerPrice: positiveDecimal.optional(),
  type: orderTypeSchema.optional(),
});
export type OrderPatch = z.infer<typeof orderPatchSchema>;

export const orderFilterSchema = z.object({
  status: z.array(orderStatusSchema).optional(),
  symbol: z.string().optional(),
  since: epochMs.optional(),
});
export type OrderFilter = z.infer<typeof orderFilterSchema>;

export const orderSchema = z
  .object({
    clientOrderId: z.string().min(1),
    brokerOrderId: z.string().min(1).optional(),
    broker: z.string().min(1),
    accountId: z.string().min(1),
    instrument: instrumentRefSchema,
    side: sideSchema,
    type: orderTypeSchema,
    product: productSchema,
    timeInForce: timeInForceSchema,
    quantity: positiveDecimal,
    price: nonNegativeDecimal.optional(),
    triggerPrice: nonNegativeDecimal.optional(),
    status: orderStatusSchema,
    filledQuantity: nonNegativeDecimal,
    averagePrice: nonNegativeDecimal.optional(),
    rejectReason: z.string().optional(),
    // The exchange-registered algo id the broker stamped on the order (SEBI retail-algo rule), for the audit trail
    exchangeAlgoId: z.string().min(1).optional(),
    createdAt: epochMs,
    updatedAt: epochMs,
    raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
  })
  .superRefine((o, ctx) => {
    if (new Decimal(o.filledQuantity).gt(o.quantity)) {
      ctx.addIssue({ code: 'custom', path: ['filledQuantity'], message: 'filledQuantity exceeds quantity' });
    }
    if (o.status === 'filled' && !new Decimal(o.filledQuantity).eq(o.quantity)) {
      ctx.addIssue({
        code: 'custom',
        path: ['filledQuantity'],
        message: 'a filled order has filledQuantity == quantity',
      });
    }
    if (new Decimal(o.filledQuantity).gt(0) && o.averagePrice === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['averagePrice'],
        message: 'averagePrice is required once anything filled',
      });
    }
    if (o.updatedAt < o.createdAt) {
      ctx.addIssue({ code: 'custom', path: ['updatedAt'], message: 'updatedAt before createdAt' });
    }
  });
/** A normalized order. */
export type Order = z.infer<typeof orderSchema>;

/** Charges of one fill in INR; `breakdown` names each line (brokerage, stt, exchange, sebi, stampDuty, gst ...). */
export const feeSchema = z.object({
  currency: z.literal('INR'),
  total: nonNegativeDecimal,
  breakdown: z.record(z.string(), nonNegativeDecimal).optional(),
});
export type Fee = z.infer<typeof feeSchema>;

export const fillSchema = z.object({
  // The dedupe key: one trade id is one fill, however often it is delivered
  tradeId: z.string().min(1),
  clientOrderId: z.string().min(1),
  brokerOrderId: z.string().min(1).optional(),
  broker: z.string().min(1),
  accountId: z.string().min(1),
  instrument: instrumentRefSchema,
  side: sideSchema,
  product: productSchema,
  quantity: positiveDecimal,
  price: positiveDecimal,
  fee: feeSchema.optional(),
  ts: epochMs,
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type Fill = z.infer<typeof fillSchema>;

export const positionSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  instrument: instrumentRefSchema,
  product: productSchema,
  // Signed: negative is short
  netQuantity: decimalString,
  averagePrice: nonNegativeDecimal,
  realizedPnl: decimalString,
  unrealizedPnl: decimalString.optional(),
  lastPrice: nonNegativeDecimal.optional(),
  charges: nonNegativeDecimal.optional(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type Position = z.infer<typeof positionSchema>;

export const holdingSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  instrument: instrumentRefSchema,
  quantity: nonNegativeDecimal,
  averagePrice: nonNegativeDecimal,
  lastPrice: nonNegativeDecimal.optional(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type Holding = z.infer<typeof holdingSchema>;

export const fundsSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  currency: z.literal('INR'),
  available: decimalString,
  used: nonNegativeDecimal,
  total: decimalString,
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type Funds = z.infer<typeof fundsSchema>;

export const profileSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  clientId: z.string().optional(),
  name: z.string().optional(),
  // When the access token stops working (DhanHQ tokens last 24 h)
  tokenExpiresAt: epochMs.optional(),
  segments: z.array(exchangeSegmentSchema).optional(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type Profile = z.infer<typeof profileSchema>;

export const instrumentQuerySchema = z.object({
  text: z.string().min(1),
  exchangeSegment: exchangeSegmentSchema.optional(),
  limit: z.number().int().positive().optional(),
});
export type InstrumentQuery = z.infer<typeof instrumentQuerySchema>;

// Tracked updates concern orders this platform placed (they drive the state machine); untracked ones
// (orders placed elsewhere, snapshots after a reconnect) only feed reconciliation
export const orderUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order'), tracked: z.boolean(), order: orderSchema, ts: epochMs }),
  z.object({ kind: z.literal('fill'), tracked: z.boolean(), fill: fillSchema, ts: epochMs }),
]);
export type OrderUpdate = z.infer<typeof orderUpdateSchema>;
export type OrderUpdateHandler = (update: OrderUpdate) => void;
/** Stops delivery; calling it twice is harmless. */
export type Unsubscribe = () => void;
