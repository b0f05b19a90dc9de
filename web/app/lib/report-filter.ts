import type { ReportFilter, TradingMode } from "../graphql/generated/schema-types";
import { TRADING_MODES } from "./execution-filter";
import { readDay } from "./day-field";

// The reports page's filters live in the URL (?from=2026-03-01&mode=PAPER), like the executions page's.
const ID = /^[A-Za-z0-9-]{1,64}$/;
const SYMBOL = /^[A-Za-z0-9&_.:!-]{1,64}$/;

// Round trips per page of the trades table
export const TRIP_PAGE_SIZE = 50;

export type ReportFilterValues = { from: string; to: string; strategyId: string; symbol: string; mode: string };

// Malformed values are dropped rather than sent (a hand-edited URL still shows a page); a range the wrong way
// round is kept, so the API's message says what is wrong with it.
export function readReportFilter(params: URLSearchParams): { values: ReportFilterValues; filter: ReportFilter } {
  const get = (key: string) => (params.get(key) ?? "").trim();
  const values: ReportFilterValues = {
    from: readDay(get("from")),
    to: readDay(get("to")),
    strategyId: ID.test(get("strategyId")) ? get("strategyId") : "",
    symbol: SYMBOL.test(get("symbol")) ? get("symbol").toUpperCase() : "",
    mode: (TRADING_MODES as readonly string[]).includes(get("mode")) ? get("mode") : "",
  };
  const filter: ReportFilter = {};
  if (values.from) filter.from = values.from;
  if (values.to) filter.to = values.to;
  if (values.strategyId) filter.strategyId = values.strategyId;
  if (values.symbol) filter.symbol = values.symbol;
  if (values.mode) filter.mode = values.mode as TradingMode;
  return { values, filter };
}

// The dashboard's CSV download for these filters (resources.report-export), in the api's parameter names
export function exportHref(values: ReportFilterValues, kind: "executions" | "trades"): string {
  const params = new URLSearchParams();
  if (values.from) params.set("from", values.from);
  if (values.to) params.set("to", values.to);
  if (values.strategyId) params.set("strategy_id", values.strategyId);
  if (values.symbol) params.set("symbol", values.symbol);
  if (values.mode) params.set("mode", values.mode.toLowerCase());
  if (kind === "trades") params.set("kind", "trades");
  const query = params.toString();
  return `/resources/report-export${query ? `?${query}` : ""}`;
}

// "0.6667" -> "66.67%"; a fraction from the API, shown to two decimals of a percent
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return "—";
  return `${(Math.round(fraction * 10000) / 100).toFixed(2)}%`;
}

// Ratios (profit factor, Sharpe) are floats by contract, rounded to 4 places by the API; two are enough on a card
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return value.toFixed(2);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const minusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

// Ranges a trader asks for most, ending today (IST), as the filter's from/to; the other filters are kept
export function quickRanges(today: string): Array<{ label: string; from: string; to: string }> {
  return [
    { label: "Today", from: today, to: today },
    { label: "Last 7 days", from: minusDays(today, 6), to: today },
    { label: "Last 30 days", from: minusDays(today, 29), to: today },
    { label: "This year", from: `${today.slice(0, 4)}-01-01`, to: today },
    { label: "All time", from: "", to: "" },
  ];
}

// The reports page's URL for a range, with the other filters as they are
export function withRange(values: ReportFilterValues, from: string, to: string): string {
  const params = new URLSearchParams();
  const next = { ...values, from, to };
  for (const key of ["from", "to", "strategyId", "symbol", "mode"] as const) if (next[key]) params.set(key, next[key]);
  const query = params.toString();
  return `/reports${query ? `?${query}` : ""}`;
}
