// Native bracket orders (has.bracketOrders): entry + target + stop-loss (+ trailing) managed by the broker,
// e.g. DhanHQ's Super Order. The target and the stop-loss are one-cancels-the-other.

import { z } from 'zod';
import { orderStatusSchema, productSchema, sideSchema } from './enums';
import {
  clientOrderIdSchema,
  epochMs,
  instrumentRefSchema,
  nonNegativeDecimal,
  orderInstrumentSchema,
  positiveDecimal,
} from './models';

export const BRACKET_LEGS = ['entry', 'target', 'stopLoss'] as const;
export type BracketLegName = (typeof BRACKET_LEGS)[number];

// pending_submit/open/partially_filled: the entry is working; active: entry filled, exits working;
// triggered: an exit leg triggered and is executing; closed: an exit filled (the bracket is done)
export const BRACKET_STATUSES = [
  'pending_submit',
  'open',
  'partially_filled',
  'active',
  'triggered',
  'closed',
  'cancelled',
  'rejected',
  'expired',
] as const;
export type BracketStatus = (typeof BRACKET_STATUSES)[number];

export const bracketOrderRequestSchema = z.object({
  clientOrderId: clientOrderIdSchema,
  instrument: orderInstrumentSchema,
  side: sideSchema,
  type: z.enum(['MARKET', 'LIMIT']),
  product: productSchema,
  quantity: positiveDecimal,
  // Entry limit price (LIMIT only)
  price: positiveDecimal.optional(),
  // Absolute prices of the exits: for a BUY target > entry > stop-loss, for a SELL the reverse
  targetPrice: positiveDecimal,
  stopLossPrice: positiveDecimal,
  // Move the stop-loss by this much each time the price moves this much in favour; omit for a fixed stop
  trailingJump: positiveDecimal.optional(),
});
export type BracketOrderRequest = z.input<typeof bracketOrderRequestSchema>;

export const bracketLegSchema = z.object({
  leg: z.enum(BRACKET_LEGS),
  brokerOrderId: z.string().min(1).optional(),
  side: sideSchema,
  quantity: nonNegativeDecimal,
  // Limit price of the entry/target, trigger of the stop-loss (after trailing)
  price: nonNegativeDecimal.optional(),
  status: orderStatusSchema,
  filledQuantity: nonNegativeDecimal,
  trailingJump: nonNegativeDecimal.optional(),
});
export type BracketLeg = z.infer<typeof bracketLegSchema>;

export const bracketOrderSchema = z.object({
  clientOrderId: z.string().min(1),
  brokerOrderId: z.string().min(1),
  broker: z.string().min(1),
  accountId: z.string().min(1),
  instrument: instrumentRefSchema,
  side: sideSchema,
  product: productSchema,
  quantity: positiveDecimal,
  status: z.enum(BRACKET_STATUSES),
  legs: z.array(bracketLegSchema).min(1),
  createdAt: epochMs,
  updatedAt: epochMs,
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
export type BracketOrder = z.infer<typeof bracketOrderSchema>;

/** Changes to one leg: entry (price, quantity while it is working), target (price), stop-loss (price, trailingJump). */
export const bracketLegPatchSchema = z.object({
  price: positiveDecimal.optional(),
  quantity: positiveDecimal.optional(),
  trailingJump: nonNegativeDecimal.optional(),
});
export type BracketLegPatch = z.infer<typeof bracketLegPatchSchema>;
