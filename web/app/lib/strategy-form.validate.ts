// Server-side checks of the "new strategy" form before it reaches the API; the API validates again.
export const TIMEFRAMES = ["1m", "3m", "5m", "10m", "15m", "30m", "1h", "2h", "4h", "1D"] as const;
export const MODES = ["PAPER", "LIVE"] as const;
export type StrategyMode = (typeof MODES)[number];

export type StrategyFormValues = { name: string; symbol: string; timeframe: string; qty: string; mode: string };
export type StrategyFormInput = { name: string; symbol: string; timeframe: string; qty: string; mode: StrategyMode };

export type StrategyFormCheck =
  | { ok: true; input: StrategyFormInput }
  | { ok: false; fieldErrors: Partial<Record<keyof StrategyFormValues, string>> };

// Syntax only (a plain unsigned decimal, kept as a string, never a float); the API owns the
// business rules (greater than 0, at most 4 decimals) and its field errors are shown as they come.
const DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;
const SYMBOL = /^[A-Z0-9&_.:-]{1,64}$/;

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
  else if (values.name.length > 120) fieldErrors.name = "Name must be at most 120 characters.";
  if (!SYMBOL.test(values.symbol)) fieldErrors.symbol = "Symbol must be letters, digits or & _ . : - (e.g. NATURALGAS).";
  if (!(TIMEFRAMES as readonly string[]).includes(values.timeframe)) fieldErrors.timeframe = "Choose a timeframe.";
  if (!DECIMAL.test(values.qty)) fieldErrors.qty = "Quantity must be a plain number such as 1 or 0.5.";
  if (!(MODES as readonly string[]).includes(values.mode)) fieldErrors.mode = "Choose Paper or Live.";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, input: { ...values, mode: values.mode as StrategyMode } };
}
