// One Decimal flavour for the whole plugin: 40 significant digits, never floats

import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

export const ZERO = new D(0);

/** Money to paise, half-up (the charge rounding rule). */
export function paise(v: Dec): Dec {
  return v.toDecimalPlaces(2, D.ROUND_HALF_UP);
}

/** Rounds a price to a multiple of tick. mode: 'nearest' (half-up), 'up' or 'down'. */
export function roundToTick(price: Dec, tick: Dec, mode: 'nearest' | 'up' | 'down' = 'nearest'): Dec {
  const rounding = mode === 'up' ? D.ROUND_CEIL : mode === 'down' ? D.ROUND_FLOOR : D.ROUND_HALF_UP;
  return price.div(tick).toDecimalPlaces(0, rounding).mul(tick);
}

/** Canonical decimal string without exponent or trailing zeros ("100.5", "-3"). */
export function str(v: Dec): string {
  return v.toFixed();
}
