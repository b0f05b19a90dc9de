// Server-side checks of the "new strategy" form before it reaches the API; the API validates again.
export const TIMEFRAMES = ["1m", "3m", "5m", "10m", "15m", "30m", "1h", "2h", "4h", "1d"] as const;
export const MODES = ["PAPER", "LIVE"] as const;
export type StrategyMode = (typeof MODES)[number];

export type StrategyFormValues = { name: string; symbol: string; timeframe: string; qty: string; mode: string };
export type StrategyFormInput = { name: string; symbol: string; timeframe: string; qty: string; mode: StrategyMode };

export type StrategyFormCheck =
  | { ok: true; input: StrategyFormInput }
  | { ok: false; fieldErrors: Partial<Record<keyof StrategyFormValues, string>> };

// A plain decimal (no exponent, no sign): quantities never pass through floats here.
const DECIMAL = /^\d{1,12}(\.\d{1,8})?$/;
const SYMBOL = /^[A-Z0-9][A-Z0-9&_.-]{0,39}$/;

export function readStrategyForm(form: FormData): StrategyFormValues {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value.trim() : "";
  };
  return { name: text("name"), symbol: text("symbol").toUpperCase(), timeframe: text("timeframe"), qty: text("qty"), mode: text("mode") };
}

export function checkStrategyForm(values: StrategyFormValues): StrategyFormCheck {
  const fieldErrors: Partial<Record<keyof StrategyFormValues, string>> = {};
  if (!values.name) fieldErrors.name = "Name is required.";
  else if (values.name.length > 100) fieldErrors.name = "Name must be at most 100 characters.";
  if (!SYMBOL.test(values.symbol)) fieldErrors.symbol = "Symbol must be letters and digits, e.g. NATURALGAS.";
  if (!(TIMEFRAMES as readonly string[]).includes(values.timeframe)) fieldErrors.timeframe = "Choose a timeframe.";
  if (!DECIMAL.test(values.qty) || !/[1-9]/.test(values.qty)) {
    fieldErrors.qty = "Quantity must be a number greater than 0.";
  }
  if (!(MODES as readonly string[]).includes(values.mode)) fieldErrors.mode = "Choose Paper or Live.";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, input: { ...values, mode: values.mode as StrategyMode } };
}
