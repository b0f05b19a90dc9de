import { formatQty } from "./money-format";

// Execution.plan as the API records it: how the pipeline decided the order's side and quantity
export type PlanDecision = {
  rule: string;
  side: string;
  qty: string;
  positionBefore: string;
  positionAfter: string;
  marketPosition?: string;
  targetPosition?: string;
};

export function readPlan(plan: unknown): PlanDecision | null {
  if (!plan || typeof plan !== "object") return null;
  const p = plan as Record<string, unknown>;
  const text = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : undefined);
  const rule = text("rule");
  const side = text("side");
  const qty = text("qty");
  if (!rule || !side || !qty) return null;
  return {
    rule,
    side,
    qty,
    positionBefore: text("positionBefore") ?? "0",
    positionAfter: text("positionAfter") ?? "0",
    marketPosition: text("marketPosition"),
    targetPosition: text("targetPosition"),
  };
}

const position = (qty: string) => {
  if (!/[1-9]/.test(qty)) return "flat";
  return qty.startsWith("-") ? `short ${formatQty(qty.slice(1))}` : `long ${formatQty(qty)}`;
};

// One sentence per rule (see the API's order planner), quantities in order units (shares, or lots x lot size)
export function explainPlan(p: PlanDecision): string {
  const move = `${p.side} ${formatQty(p.qty)}: the position went from ${position(p.positionBefore)} to ${position(p.positionAfter)}.`;
  switch (p.rule) {
    case "market_position":
      return `TradingView reported its strategy ${p.marketPosition ?? "at a position"}${p.targetPosition !== undefined ? ` (${position(p.targetPosition)})` : ""} after its order, so the order brought this strategy there: ${move}`;
    case "exit":
      return `An EXIT closes the position, or reduces it by the alert's quantity: ${move}`;
    case "reverse":
      return `An opposite signal with the Reverse policy closes the position and opens the alert's quantity the other way: ${move}`;
    case "reduce_only":
      return `An opposite signal that may only reduce (Reduce-only policy, or a side the strategy does not trade): ${move}`;
    case "signal":
      return `The alert's own side and quantity: ${move}`;
    default:
      return move;
  }
}
