import { checkQuantity } from "@algodatta/broker-sdk/src/quantity-rule";
import type { StrategyDetailFragment } from "../graphql/generated/graphql";
import type { AllowedSides, OppositeSignalPolicy, SizingMode, StrategyPatch } from "../graphql/generated/schema-types";
import { MODES } from "./strategy-form.validate";
import { EXCHANGE_SEGMENTS } from "./strategy-segments";
import { normalizeTimeframe, showTimeframe } from "./timeframe";

// Server-side syntax checks of the strategy settings form; the API owns the business rules and
// validates again (its field errors are shown under the same fields).
export { EXCHANGE_SEGMENTS };
export const PRODUCT_TYPES = ["INTRADAY", "CNC", "MARGIN"] as const;
export const ALLOWED_SIDES: readonly AllowedSides[] = ["BOTH", "LONG_ONLY", "SHORT_ONLY"];
export const OPPOSITE_POLICIES: readonly OppositeSignalPolicy[] = ["REDUCE_ONLY", "REVERSE"];
export const SIZING_MODES: readonly SizingMode[] = [
  "ALERT",
  "FIXED",
  "PERCENT_OF_CAPITAL",
  "RISK_PER_TRADE",
  "MULTIPLIER",
];
// Signal and protection settings an empty field turns off (sent as null: the API clears them)
const CLEARABLE_INTS = ["maxSignalAgeSeconds", "cooldownMinutes", "maxTradesPerDay"] as const;

// The API drops null/empty optional settings in a patch, so a limit once set cannot be removed from here.
export const LIMIT_FIELDS = [
  "maxQtyPerOrder",
  "maxOpenPosition",
  "maxDailyLoss",
  "tradingWindowStart",
  "tradingWindowEnd",
  "instrumentOverride",
] as const;

export type SettingsValues = Record<string, string>;

// Default exits (issue 18): percent of the fill price or points; a bare number is points for the trail only
const EXIT_FIELDS = [
  "exitStopLoss",
  "exitTakeProfit",
  "exitTrailingStop",
  "exitBreakevenAt",
  "exitAfterMinutes",
] as const;
const EXIT_LEVEL = /^\d{1,9}(\.\d{1,6})?\s*(%|pts?|points?)$/i;
const EXIT_DISTANCE = /^\d{1,9}(\.\d{1,6})?\s*(%|pts?|points?)?$/i;
const MAX_EXIT_MINUTES = 7 * 24 * 60;
export type SettingsCheck = { ok: true; patch: StrategyPatch } | { ok: false; fieldErrors: Record<string, string> };

const DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;
const SYMBOL = /^[A-Z0-9&_.:-]{1,64}$/;
// As TradingView's {{ticker}} may spell one (NSE:INFY, NATURALGAS1!); the API stores them without prefix and suffix
const TICKER = /^[A-Z0-9&_.:!-]{1,64}$/;
const MAX_ALLOWED_SYMBOLS = 50;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TEXT_FIELDS = [
  "name",
  "symbol",
  "timeframe",
  "qty",
  "mode",
  "exchangeSegment",
  "productType",
  "broker",
  "instrumentOverride",
  "maxQtyPerOrder",
  "maxOpenPosition",
  "maxDailyLoss",
  "tradingWindowStart",
  "tradingWindowEnd",
  "allowedSides",
  "oppositeSignalPolicy",
  "alertsPerMinute",
  "allowedSymbols",
  "maxSignalAgeSeconds",
  "cooldownMinutes",
  "maxTradesPerDay",
  "sizingMode",
  "sizingValue",
  "approvalTimeoutMinutes",
  ...EXIT_FIELDS,
] as const;

export function readSettingsForm(form: FormData): SettingsValues {
  const values: SettingsValues = {};
  for (const key of TEXT_FIELDS) {
    const raw = form.get(key);
    values[key] = typeof raw === "string" ? raw.trim() : "";
  }
  values.symbol = values.symbol.toUpperCase();
  values.allowedSymbols = values.allowedSymbols.toUpperCase();
  values.syncToTradingView = form.get("syncToTradingView") === "on" ? "on" : "";
  values.requireApproval = form.get("requireApproval") === "on" ? "on" : "";
  // Only posted when the user has several accounts at the broker (the form shows the select then)
  if (form.has("brokerAccountId")) values.brokerAccountId = String(form.get("brokerAccountId") ?? "").trim();
  return values;
}

// The form's starting values: exactly what the API returned (decimals untouched), empty for "not set".
export function settingsFromStrategy(s: StrategyDetailFragment): SettingsValues {
  return {
    name: s.name,
    symbol: s.symbol,
    timeframe: showTimeframe(s.timeframe),
    qty: s.qty,
    mode: s.mode,
    exchangeSegment: s.exchangeSegment,
    productType: s.productType,
    broker: s.broker,
    brokerAccountId: s.brokerAccountId ?? "",
    instrumentOverride: s.instrumentOverride ?? "",
    maxQtyPerOrder: s.maxQtyPerOrder ?? "",
    maxOpenPosition: s.maxOpenPosition ?? "",
    maxDailyLoss: s.maxDailyLoss ?? "",
    tradingWindowStart: s.tradingWindowStart ?? "",
    tradingWindowEnd: s.tradingWindowEnd ?? "",
    allowedSides: s.allowedSides,
    oppositeSignalPolicy: s.oppositeSignalPolicy,
    alertsPerMinute: String(s.alertsPerMinute),
    allowedSymbols: s.allowedSymbols.join(", "),
    maxSignalAgeSeconds: s.maxSignalAgeSeconds == null ? "" : String(s.maxSignalAgeSeconds),
    cooldownMinutes: s.cooldownMinutes == null ? "" : String(s.cooldownMinutes),
    maxTradesPerDay: s.maxTradesPerDay == null ? "" : String(s.maxTradesPerDay),
    syncToTradingView: s.syncToTradingView ? "on" : "",
    sizingMode: s.sizingMode,
    sizingValue: s.sizingValue ?? "",
    requireApproval: s.requireApproval ? "on" : "",
    approvalTimeoutMinutes: String(s.approvalTimeoutMinutes),
    exitStopLoss: s.exitDefaults?.stopLoss ?? "",
    exitTakeProfit: s.exitDefaults?.takeProfit ?? "",
    exitTrailingStop: s.exitDefaults?.trailingStop ?? "",
    exitBreakevenAt: s.exitDefaults?.breakevenAt ?? "",
    exitAfterMinutes: s.exitDefaults?.exitAfterMinutes == null ? "" : String(s.exitDefaults.exitAfterMinutes),
  };
}

function oneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function checkSettings(v: SettingsValues, current: StrategyDetailFragment): SettingsCheck {
  const errors: Record<string, string> = {};
  if (!v.name) errors.name = "Name is required.";
  else if (v.name.length > 120) errors.name = "Name must be at most 120 characters.";
  if (!SYMBOL.test(v.symbol)) errors.symbol = "Symbol must be letters, digits or & _ . : - (e.g. NATURALGAS).";
  if (!normalizeTimeframe(v.timeframe))
    errors.timeframe = "Timeframe must be a TradingView interval such as 5, 15m, 1h or 1D.";
  if (!oneOf(MODES, v.mode)) errors.mode = "Choose Paper or Live.";
  if (!oneOf(EXCHANGE_SEGMENTS, v.exchangeSegment)) errors.exchangeSegment = "Choose an exchange segment.";
  // The segment's quantity rule (whole lots or whole shares), the very rule the API and the webhook apply
  const qty = checkQuantity(
    v.qty,
    oneOf(EXCHANGE_SEGMENTS, v.exchangeSegment) ? v.exchangeSegment : current.exchangeSegment,
    "Quantity",
  );
  if (!qty.ok) errors.qty = `${qty.message}.`;
  const allowedSymbols = symbolList(v.allowedSymbols);
  if (allowedSymbols.some((s) => !TICKER.test(s)))
    errors.allowedSymbols = "List tickers such as INFY, NSE:TCS or NATURALGAS1!, separated by commas.";
  else if (allowedSymbols.length > MAX_ALLOWED_SYMBOLS)
    errors.allowedSymbols = `At most ${MAX_ALLOWED_SYMBOLS} symbols.`;
  if (!oneOf(PRODUCT_TYPES, v.productType)) errors.productType = "Choose a product type.";
  // A paper strategy's form posts no broker (the field is off until Mode is Live): the stored one stays
  if (v.broker ? !/^[a-z][a-z0-9-]{0,31}$/.test(v.broker) || v.broker === "paper" : v.mode === "LIVE")
    errors.broker = "Choose the broker that places this strategy's live orders.";
  if (!oneOf(ALLOWED_SIDES, v.allowedSides)) errors.allowedSides = "Choose the allowed sides.";
  if (!oneOf(OPPOSITE_POLICIES, v.oppositeSignalPolicy))
    errors.oppositeSignalPolicy = "Choose what an opposite signal does.";
  if (!/^\d{1,6}$/.test(v.alertsPerMinute) || v.alertsPerMinute === "0")
    errors.alertsPerMinute = "Alerts per minute must be a whole number of at least 1.";
  for (const key of ["maxQtyPerOrder", "maxOpenPosition", "maxDailyLoss"] as const) {
    if (v[key] && !DECIMAL.test(v[key])) errors[key] = "Use a plain number such as 10 or 2500.50, or leave empty.";
  }
  for (const key of ["tradingWindowStart", "tradingWindowEnd"] as const) {
    if (v[key] && !HHMM.test(v[key])) errors[key] = "Use 24-hour HH:MM (IST), e.g. 09:15.";
  }
  for (const key of CLEARABLE_INTS) {
    if (v[key] && (!/^\d{1,6}$/.test(v[key]) || v[key] === "0" || /^0+$/.test(v[key])))
      errors[key] = "Use a whole number of at least 1, or leave empty for none.";
  }
  if (!oneOf(SIZING_MODES, v.sizingMode)) errors.sizingMode = "Choose how entries are sized.";
  else if (v.sizingMode !== "ALERT" && v.sizingMode !== "FIXED" && !v.sizingValue)
    errors.sizingValue = "This sizing mode needs a value.";
  if (v.sizingValue && !DECIMAL.test(v.sizingValue)) errors.sizingValue = "Use a plain number such as 2 or 1500.50.";
  if (
    !/^\d{1,4}$/.test(v.approvalTimeoutMinutes) ||
    Number(v.approvalTimeoutMinutes) < 1 ||
    Number(v.approvalTimeoutMinutes) > 1440
  ) {
    errors.approvalTimeoutMinutes = "Use whole minutes from 1 to 1440.";
  }
  for (const key of ["exitStopLoss", "exitTakeProfit", "exitBreakevenAt"] as const) {
    if (v[key] && !EXIT_LEVEL.test(v[key])) errors[key] = 'Use a percent ("1.5%") or points ("20pts"), or leave empty.';
  }
  if (v.exitTrailingStop && !EXIT_DISTANCE.test(v.exitTrailingStop))
    errors.exitTrailingStop = 'Use a percent ("1%") or points ("10pts"), or leave empty.';
  if (
    v.exitAfterMinutes &&
    (!/^\d{1,5}$/.test(v.exitAfterMinutes) ||
      Number(v.exitAfterMinutes) < 1 ||
      Number(v.exitAfterMinutes) > MAX_EXIT_MINUTES)
  )
    errors.exitAfterMinutes = `Use whole minutes from 1 to ${MAX_EXIT_MINUTES}, or leave empty.`;
  if (v.instrumentOverride && !/^\d{1,32}$/.test(v.instrumentOverride))
    errors.instrumentOverride = "A broker security id is digits only.";
  for (const key of LIMIT_FIELDS) {
    // Saying "saved" while the old limit silently stays would be worse than refusing.
    if (!v[key] && current[key] !== null)
      errors[key] = "This setting cannot be removed once set; enter a value instead.";
  }
  if (Object.keys(errors).length > 0 || !qty.ok) return { ok: false, fieldErrors: errors };

  const optional = (key: (typeof LIMIT_FIELDS)[number]) => (v[key] ? v[key] : undefined);
  return {
    ok: true,
    patch: {
      name: v.name,
      symbol: v.symbol,
      timeframe: v.timeframe,
      qty: qty.value,
      mode: v.mode as StrategyPatch["mode"],
      exchangeSegment: v.exchangeSegment,
      productType: v.productType,
      ...(v.broker && { broker: v.broker }),
      ...(v.brokerAccountId !== undefined && { brokerAccountId: v.brokerAccountId || null }),
      allowedSides: v.allowedSides as AllowedSides,
      oppositeSignalPolicy: v.oppositeSignalPolicy as OppositeSignalPolicy,
      alertsPerMinute: Number(v.alertsPerMinute),
      allowedSymbols,
      instrumentOverride: optional("instrumentOverride"),
      maxQtyPerOrder: optional("maxQtyPerOrder"),
      maxOpenPosition: optional("maxOpenPosition"),
      maxDailyLoss: optional("maxDailyLoss"),
      tradingWindowStart: optional("tradingWindowStart"),
      tradingWindowEnd: optional("tradingWindowEnd"),
      maxSignalAgeSeconds: v.maxSignalAgeSeconds ? Number(v.maxSignalAgeSeconds) : null,
      cooldownMinutes: v.cooldownMinutes ? Number(v.cooldownMinutes) : null,
      maxTradesPerDay: v.maxTradesPerDay ? Number(v.maxTradesPerDay) : null,
      syncToTradingView: v.syncToTradingView === "on",
      sizingMode: v.sizingMode as SizingMode,
      sizingValue: v.sizingValue || null,
      requireApproval: v.requireApproval === "on",
      approvalTimeoutMinutes: Number(v.approvalTimeoutMinutes),
      exitDefaults: EXIT_FIELDS.some((key) => v[key])
        ? {
            stopLoss: v.exitStopLoss || null,
            takeProfit: v.exitTakeProfit || null,
            trailingStop: v.exitTrailingStop || null,
            breakevenAt: v.exitBreakevenAt || null,
            exitAfterMinutes: v.exitAfterMinutes ? Number(v.exitAfterMinutes) : null,
          }
        : null,
    },
  };
}

// "INFY, NSE:TCS" -> ["INFY", "NSE:TCS"]; empty text is an empty list (a single-symbol strategy)
function symbolList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
