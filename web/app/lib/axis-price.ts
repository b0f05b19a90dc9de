// The report charts' price axis in Indian grouping with one format on every tick: whole rupees when every tick is
// a whole rupee, else paise on all of them (a per-value choice put "1,000" next to "800.00" on one axis).
const WHOLE = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 0 });
const PAISE = new Intl.NumberFormat("en-IN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// Ticks are floats (800.0000000001): whole means within a thousandth of a paisa
const isWhole = (value: number) => Math.abs(value - Math.round(value)) < 1e-5;

// Every tick label of one axis, formatted together (lightweight-charts' localization.tickmarksPriceFormatter)
export function axisTickLabels(prices: readonly number[]): string[] {
  const format = prices.every(isWhole) ? WHOLE : PAISE;
  // (`|| 0`: a -0 from rounding a tiny negative would read "-0")
  return prices.map((price) => format.format((isWhole(price) ? Math.round(price) : price) || 0));
}

// One value alone (the crosshair's label on the axis): to the paisa
export const axisPrice = (value: number): string => PAISE.format(value);
