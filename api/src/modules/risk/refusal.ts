import type { RuleRejectReason } from '../executions/store/reject-reasons';

// A door rule's "no": answered 422 with this reason, the alert still recorded
export type Refusal = { ok: false; reason: RuleRejectReason; message: string };

export const refuse = (reason: RuleRejectReason, message: string): Refusal => ({ ok: false, reason, message });

// Alerts that can only take risk off (EXIT, or TradingView going flat) are never held back by entry rules
export const isEntry = (signal: { side: string; marketPosition?: string }) =>
  signal.side !== 'EXIT' && signal.marketPosition !== 'flat';
