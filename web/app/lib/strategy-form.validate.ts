import { checkQuantity } from "@algodatta/broker-sdk/src/quantity-rule";
import { EXCHANGE_SEGMENTS } from "./strategy-segments";

// Server-side checks of the "new strategy" form before it reaches the API; the API validates again.
export const TIMEFRAMES = ["1m", "3m", "5m", "10m", "15m", "30m", "1h", "2h", "4h", "1D"] as const;
export const MODES = ["PAPER", "LIVE"] as const;
export type StrategyMode = (typeof MODES)[number];

export type StrategyFormValues = {
  name: string;
  symbol: string;
  timeframe: string;
  qty: string;
  mode: string;
  exchangeSegment: string;
  /** LIVE: which of the user's accounts trades it ("" = the default account) */
  brokerAccountId?: string;
};
export type StrategyFormInput = {
  name: string;
  symbol: string;
  timeframe: string;
  qty: string;
  mode: StrategyMode;
  exchangeSegment: string;
  brokerAccountId?: string;
};

export type StrategyFormCheck =
  | { ok: true; input: StrategyFormInput }
  | { ok: false; fieldErrors: Partial<Record<keyof StrategyFormValues, string>> };

const SYMBOL = /^[A-Z0-9&_.:-]{1,64}$/;

export function readStrategyForm(form: FormData): StrategyFormValues {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value.trim() : "";
  };
  return {
    name: text("name"),
    symbol: text("symbol").toUpperCase(),
    timeframe: text("timeframe"),
    qty: text("qty"),
    mode: text("mode"),
    exchangeSegment: text("exchangeSegment") || "NSE_EQ",
    brokerAccountId: text("brokerAccountId"),
  };
}

export function checkStrategyForm(values: StrategyFormValues): StrategyFormCheck {
  const fieldErrors: Partial<Record<keyof StrategyFormValues, string>> = {};
  if (!values.name) fieldErrors.name = "Name is required.";
  else if (values.name.length > 120) fieldErrors.name = "Name must be at most 120 characters.";
  if (!SYMBOL.test(values.symbol))
    fieldErrors.symbol = "Symbol must be letters, digits or & _ . : - (e.g. NATURALGAS).";
  if (!(TIMEFRAMES as readonly string[]).includes(values.timeframe)) fieldErrors.timeframe = "Choose a timeframe.";
  if (!(MODES as readonly string[]).includes(values.mode)) fieldErrors.mode = "Choose Paper or Live.";
  // The segment's quantity rule (whole lots or whole shares): the very rule the API and the webhook apply, from
  // @algodatta/broker-sdk. The API's other field errors are shown as they come.
  const segmentKnown = (EXCHANGE_SEGMENTS as readonly string[]).includes(values.exchangeSegment);
  if (!segmentKnown) fieldErrors.exchangeSegment = "Choose an exchange segment.";
  const qty = checkQuantity(values.qty, segmentKnown ? values.exchangeSegment : "NSE_EQ", "Quantity");
  if (!qty.ok) fieldErrors.qty = `${qty.message}.`;
  if (Object.keys(fieldErrors).length > 0 || !qty.ok) return { ok: false, fieldErrors };
  const { brokerAccountId, ...rest } = values;
  const mode = values.mode as StrategyMode;
  // The account only matters for a LIVE strategy; a paper one has none
  return {
    ok: true,
    input: { ...rest, qty: qty.value, mode, ...(mode === "LIVE" && brokerAccountId && { brokerAccountId }) },
  };
}
