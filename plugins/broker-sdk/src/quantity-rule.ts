// How many of an instrument a strategy, an alert or an order may ask for, per exchange segment: derivatives
// (F&O, MCX, currency) trade in whole lots, equity in whole shares. Defined once here and used by the api
// (strategy settings, the webhook) and the dashboard's forms, so they all accept and refuse the same values
// with the same words. No imports on purpose: the dashboard bundles this file from source (ESM, Vite) while
// the api takes it through the package's CommonJS build.

/** Segments that trade in lots: a quantity there counts lots, and an order sends lots x the contract's lot size. */
export const LOT_SEGMENTS = ['NSE_FNO', 'BSE_FNO', 'MCX_COMM', 'NSE_CURRENCY', 'BSE_CURRENCY'] as const;

export type QuantityUnit = 'lots' | 'shares';

/** The rule in one line, for form hints and descriptions. */
export const QUANTITY_RULE_SUMMARY = 'Whole shares for equity (NSE_EQ, BSE_EQ); whole lots for F&O, MCX and currency';

export type QuantityCheck = { ok: true; value: string } | { ok: false; message: string };

// Below 10^12 (the webhook's bound for any quantity); leading zeros and a zero fraction ("2.0") are fine.
// The greedy 0* leaves the group without leading zeros ("0" alone stays "0")
const WHOLE = /^0*(\d{1,12})(\.0+)?$/;

export function quantityUnitFor(segment: string): QuantityUnit {
  return (LOT_SEGMENTS as readonly string[]).includes(segment) ? 'lots' : 'shares';
}

/** What a quantity field accepts, as a sentence fragment: "a whole number of lots (NSE_FNO), at least 1". */
export function quantityRuleText(segment: string, options: { allowZero?: boolean } = {}): string {
  const unit = quantityUnitFor(segment);
  return `a whole number of ${unit} (${segment} trades in ${unit}), ${options.allowZero ? '0 or more' : 'at least 1'}`;
}

/**
 * Checks one quantity against its segment's rule and returns it as canonical text ("2", never "2.0").
 * `label` names the field in the message; `allowZero` is for sizes where 0 means "none" (EXIT, flat).
 *
 * @example checkQuantity('1.5', 'NSE_EQ', 'qty')
 * // { ok: false, message: 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10' }
 */
export function checkQuantity(
  raw: unknown,
  segment: string,
  label: string,
  options: { allowZero?: boolean } = {},
): QuantityCheck {
  const text =
    typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = WHOLE.exec(text);
  const value = match ? match[1] : null;
  if (value !== null && (options.allowZero || value !== '0')) return { ok: true, value };
  const example = quantityUnitFor(segment) === 'lots' ? '1 or 2' : '1 or 10';
  return { ok: false, message: `${label} must be ${quantityRuleText(segment, options)}, e.g. ${example}` };
}
