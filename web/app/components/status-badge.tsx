const TONES: Record<string, string> = {
  FILLED: "badge-ok",
  PARTIALLY_FILLED: "badge-info",
  PLACED: "badge-info",
  PENDING: "badge-muted",
  AWAITING_APPROVAL: "badge-warn",
  REJECTED: "badge-danger",
  FAILED: "badge-danger",
  CANCELLED: "badge-warn",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${TONES[status] ?? ""}`}>{status.replace("_", " ")}</span>;
}

export function SideBadge({ side }: { side: string }) {
  return <span className={side === "BUY" ? "side side-buy" : side === "SELL" ? "side side-sell" : "side"}>{side}</span>;
}

// PAPER is simulated; LIVE is real money and stands out
export function ModeBadge({ mode }: { mode: string }) {
  return <span className={mode === "LIVE" ? "badge badge-live" : "badge"}>{mode}</span>;
}
