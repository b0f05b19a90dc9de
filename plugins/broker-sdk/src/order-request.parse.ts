// Shared request validation so every plugin rejects the same bad orders the same way (InvalidOrderError)

import Decimal from 'decimal.js';
import { InvalidOrderError } from './errors';
import type { OrderPatch, OrderRequest } from './models';
import { orderPatchSchema, orderRequestSchema } from './models';
import type { BrokerManifest } from './manifest';
import { acceptsStopMarket } from './manifest';

export type ParsedOrderRequest = ReturnType<typeof orderRequestSchema.parse>;

/**
 * Checks shape, positive quantity, price/trigger presence per order type and the manifest's features.
 * Throws InvalidOrderError with a readable message.
 */
export function parseOrderRequest(
  request: OrderRequest,
  manifest: Pick<BrokerManifest, 'name' | 'features'>,
): ParsedOrderRequest {
  const broker = manifest.name;
  const parsed = orderRequestSchema.safeParse(request);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidOrderError(`invalid order request: ${msg}`, { broker });
  }
  const r = parsed.data;
  const fail = (msg: string): never => {
    throw new InvalidOrderError(`invalid order ${r.clientOrderId}: ${msg}`, { broker });
  };
  if (!new Decimal(r.quantity).gt(0)) fail(`quantity must be > 0 (got ${r.quantity})`);
  const needsPrice = r.type === 'LIMIT' || r.type === 'SL';
  const needsTrigger = r.type === 'SL' || r.type === 'SL-M';
  if (needsPrice && (r.price === undefined || !new Decimal(r.price).gt(0))) fail(`${r.type} needs a price > 0`);
  if (!needsPrice && r.price !== undefined && r.type === 'MARKET')
    fail('MARKET orders take no price (use referencePrice)');
  if (needsTrigger && (r.triggerPrice === undefined || !new Decimal(r.triggerPrice).gt(0)))
    fail(`${r.type} needs a triggerPrice > 0`);
  if (!needsTrigger && r.triggerPrice !== undefined) fail(`${r.type} takes no triggerPrice`);
  const f = manifest.features;
  if (!f.orderTypes.includes(r.type)) fail(`order type ${r.type} is not supported by ${broker}`);
  if (!f.validities.includes(r.timeInForce)) fail(`validity ${r.timeInForce} is not supported by ${broker}`);
  if (!f.products.includes(r.product)) fail(`product ${r.product} is not supported by ${broker}`);
  if (!f.segments.includes(r.instrument.exchangeSegment))
    fail(`segment ${r.instrument.exchangeSegment} is not supported by ${broker}`);
  if (r.type === 'SL-M' && !acceptsStopMarket(f, r.instrument.exchangeSegment)) {
    fail(
      `${broker} does not accept SL-M on ${r.instrument.exchangeSegment} (market price protection); send SL with a limit price`,
    );
  }
  return r;
}

/** Checks a modify patch against manifest.features.modify. */
export function parseOrderPatch(patch: OrderPatch, manifest: Pick<BrokerManifest, 'name' | 'features'>): OrderPatch {
  const broker = manifest.name;
  const parsed = orderPatchSchema.safeParse(patch);
  if (!parsed.success) {
    throw new InvalidOrderError(
      `invalid modify: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      { broker },
    );
  }
  const p = parsed.data;
  const m = manifest.features.modify;
  if (p.price !== undefined && !m.price) throw new InvalidOrderError(`${broker} cannot modify price`, { broker });
  if (p.quantity !== undefined && !m.quantity)
    throw new InvalidOrderError(`${broker} cannot modify quantity`, { broker });
  if (p.triggerPrice !== undefined && !m.trigger)
    throw new InvalidOrderError(`${broker} cannot modify trigger`, { broker });
  if (Object.values(p).every((v) => v === undefined))
    throw new InvalidOrderError('modify with nothing to change', { broker });
  return p;
}
