// When and at what price a paper order fills, given the last traded price (see README "Fill model")

import type { OrderType, Side } from '@algodatta/broker-sdk';
import type { Dec } from './decimal';
import { D, roundToTick } from './decimal';

/** MARKET price: reference moved against the trader by slippage (bps), rounded to tick away from the trader. */
export function marketFillPrice(side: Side, reference: Dec, slippageBps: Dec, tick: Dec): Dec {
  const factor = slippageBps.div(10_000);
  const raw = side === 'BUY' ? reference.mul(new D(1).plus(factor)) : reference.mul(new D(1).minus(factor));
  const rounded = roundToTick(raw, tick, side === 'BUY' ? 'up' : 'down');
  // A sell never fills at or below zero, even with absurd slippage
  return rounded.gt(0) ? rounded : tick;
}

/** A stop triggers when the price reaches the trigger: buy stops at or above, sell stops at or below. */
export function stopTriggered(side: Side, trigger: Dec, last: Dec): boolean {
  return side === 'BUY' ? last.gte(trigger) : last.lte(trigger);
}

/** A limit is marketable when the price is at or better than it. */
export function limitCrosses(side: Side, limit: Dec, last: Dec): boolean {
  return side === 'BUY' ? last.lte(limit) : last.gte(limit);
}

export type RestingOrder = {
  side: Side;
  type: OrderType;
  price: Dec | null;
  triggerPrice: Dec | null;
  triggered: boolean;
};

export type MatchDecision = { action: 'none'; triggered: boolean } | { action: 'fill'; price: Dec; triggered: boolean };

/**
 * Decides what a price `last` does to an order.
 * `onEntry`: the order was just placed (a marketable limit takes the market price, capped at its limit);
 * otherwise a resting limit that the market crosses fills at its own limit price (it was first in the book).
 */
export function matchOrder(o: RestingOrder, last: Dec, slippageBps: Dec, tick: Dec, onEntry: boolean): MatchDecision {
  let triggered = o.triggered;
  if ((o.type === 'SL' || o.type === 'SL-M') && !triggered) {
    if (!o.triggerPrice || !stopTriggered(o.side, o.triggerPrice, last)) return { action: 'none', triggered };
    triggered = true;
  }
  const market = marketFillPrice(o.side, last, slippageBps, tick);
  if (o.type === 'MARKET' || o.type === 'SL-M') return { action: 'fill', price: market, triggered };
  const limit = o.price as Dec;
  if (!limitCrosses(o.side, limit, last)) return { action: 'none', triggered };
  // A stop-limit that just triggered, or a limit placed marketable, trades at the market capped by the limit
  if (onEntry || (o.type === 'SL' && !o.triggered)) {
    const capped = o.side === 'BUY' ? D.min(market, limit) : D.max(market, limit);
    return { action: 'fill', price: capped, triggered };
  }
  return { action: 'fill', price: limit, triggered };
}
