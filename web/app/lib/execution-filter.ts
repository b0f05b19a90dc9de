import type { ExecutionRowFragment } from "../graphql/generated/graphql";
import type { ExecutionFilter, ExecutionStatus, TradingMode } from "../graphql/generated/schema-types";
import { istDay } from "./ist-time";
import { readDay } from "./day-field";

// The executions page filters live in the URL (?status=FILLED&symbol=...), so they survive reloads and links.
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  "AWAITING_APPROVAL",
  "PENDING",
  "PLACED",
  "PARTIALLY_FILLED",
  "FILLED",
  "REJECTED",
  "CANCELLED",
  "FAILED",
];
export const TRADING_MODES: readonly TradingMode[] = ["PAPER", "LIVE"];
const ID = /^[A-Za-z0-9-]{1,64}$/;
const SYMBOL = /^[A-Za-z0-9&_.:!-]{1,64}$/;

export type FilterValues = {
  strategyId: string;
  symbol: string;
  status: string;
  mode: string;
  from: string;
  to: string;
};

// Unknown or malformed values are dropped rather than sent to the API: a hand-edited URL still shows a page.
export function readExecutionFilter(params: URLSearchParams): { values: FilterValues; filter: ExecutionFilter } {
  const get = (key: string) => (params.get(key) ?? "").trim();
  const values: FilterValues = {
    strategyId: ID.test(get("strategyId")) ? get("strategyId") : "",
    symbol: SYMBOL.test(get("symbol")) ? get("symbol").toUpperCase() : "",
    status: (EXECUTION_STATUSES as readonly string[]).includes(get("status")) ? get("status") : "",
    mode: (TRADING_MODES as readonly string[]).includes(get("mode")) ? get("mode") : "",
    from: readDay(get("from")),
    to: readDay(get("to")),
  };
  const filter: ExecutionFilter = {};
  if (values.strategyId) filter.strategyId = values.strategyId;
  if (values.symbol) filter.symbol = values.symbol;
  if (values.status) filter.status = values.status as ExecutionStatus;
  if (values.mode) filter.mode = values.mode as TradingMode;
  if (values.from) filter.from = values.from;
  if (values.to) filter.to = values.to;
  return { values, filter };
}

// The same rules the API applies, for rows that arrive live: a live update must not show a row the filter hides.
export function matchesFilter(row: ExecutionRowFragment, f: FilterValues): boolean {
  if (f.strategyId && row.strategyId !== f.strategyId) return false;
  if (f.symbol && row.symbol.toUpperCase() !== f.symbol) return false;
  if (f.status && row.status !== f.status) return false;
  if (f.mode && row.mode !== f.mode) return false;
  const day = istDay(row.createdAt);
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  return true;
}
