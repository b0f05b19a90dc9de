// Plain words for the reasons an order is refused (the API's rejectReason codes; see the README's list).
const REASONS: Record<string, string> = {
  strategy_disabled: "The strategy is disabled",
  kill_switch: "Trading is halted (kill switch)",
  outside_trading_window: "Outside the strategy's trading window",
  risk_limit: "A risk limit was reached",
  side_not_allowed: "This side is not allowed by the strategy",
  broker_not_connected: "No connected broker account",
  broker_not_ready: "The broker account is not ready",
  unknown_symbol: "Unknown symbol",
  symbol_mismatch: "The alert named another symbol",
  no_position: "No position to exit",
  at_target: "Already at TradingView's position",
  retries_exhausted: "Failed after every retry",
  market_closed: "The market is closed",
  rate_limited: "The broker limited the request rate",
  stale_signal: "The alert arrived too late (stale signal)",
  cooldown: "Cooling down after a losing trade",
  max_trades_per_day: "The strategy's trades for today are used up",
  sizing_unavailable: "The sizing mode could not size this alert",
  size_too_small: "The sized quantity is less than one lot or share",
  approval_rejected: "Rejected by you (approval queue)",
  approval_expired: "Not approved in time",
  leg_rejected: "Part of the order (a leg above the freeze limit) was refused; what filled is kept",
};

export function rejectReasonText(code: string | null | undefined): string | null {
  if (!code) return null;
  return REASONS[code] ?? code.replace(/_/g, " ");
}
