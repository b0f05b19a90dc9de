import { formatQty } from "./money-format";

// Execution.sizing and Execution.positionCheck as the API records them (api/src/modules/risk/)
type Record_ = Record<string, unknown>;
const obj = (v: unknown): Record_ | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record_) : null);
const text = (o: Record_, k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);

const MODE_TEXT: Record<string, string> = {
  FIXED: "Fixed quantity",
  PERCENT_OF_CAPITAL: "Percent of capital",
  RISK_PER_TRADE: "Risk per trade",
  MULTIPLIER: "Multiplier",
};
const INPUT_TEXT: Record<string, string> = {
  alertQty: "alert qty",
  strategyQty: "strategy qty",
  capital: "available funds (INR)",
  percent: "percent",
  price: "price",
  stopLoss: "stop loss",
  stopDistance: "distance to the stop",
  riskAmount: "risk (INR)",
  multiplier: "multiplier",
};

// "Risk per trade: price 2500, stop loss 2480, … → 50 (rounded down to lots; capped by maxQtyPerOrder)"
export function explainSizing(sizing: unknown): string | null {
  const s = obj(sizing);
  const mode = s && text(s, "mode");
  if (!s || !mode) return null;
  const inputs = Object.entries(obj(s.inputs) ?? {})
    .map(([k, v]) => `${INPUT_TEXT[k] ?? k} ${String(v)}`)
    .join(", ");
  const capped = text(s, "cappedBy")
    ? `; ${text(s, "computed")} capped to ${text(s, "qty")} by ${text(s, "cappedBy")}`
    : "";
  const lot =
    text(s, "lotSize") && text(s, "lotSize") !== "1"
      ? ` lots of ${text(s, "lotSize")} (${formatQty(text(s, "orderQty") ?? "0")} units)`
      : "";
  return `${MODE_TEXT[mode] ?? mode}: ${inputs} → ${formatQty(text(s, "qty") ?? "0")}${lot}, rounded down${capped}.`;
}

// Set only when TradingView's position before the alert was not ours
export function positionMismatchText(check: unknown): string | null {
  const c = obj(check);
  if (!c || c.mismatch !== true) return null;
  const prevQty = text(c, "prevPositionQty");
  const tv = prevQty ? `${text(c, "prevMarketPosition")} ${formatQty(prevQty)}` : text(c, "prevMarketPosition");
  const ours = text(c, "ourPosition") ?? "0";
  const oursText = !/[1-9]/.test(ours)
    ? "flat"
    : ours.startsWith("-")
      ? `short ${formatQty(ours.slice(1))}`
      : `long ${formatQty(ours)}`;
  const action =
    text(c, "action") === "synced"
      ? ` The order went to TradingView's position (${text(c, "targetPosition")}).`
      : text(c, "action") === "flagged_cannot_sync"
        ? " TradingView's position after the alert was not known, so the order was planned as usual."
        : "";
  return `TradingView was ${tv} before this alert, the strategy ${oursText}: an alert was missed or arrived out of order.${action}`;
}
