import Decimal from 'decimal.js';

// One configured Decimal for money: 40 significant digits, half-up rounding only where we round on purpose.
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type D = Decimal;

export const dec = (value: Decimal.Value | null | undefined): Decimal => new D(value ?? 0);
// Canonical decimal text for numeric columns (4 dp, as the columns store)
export const money = (value: Decimal.Value): string => new D(value).toDecimalPlaces(4).toFixed();
