import type { BrokerErrorCode } from '@algodatta/broker-sdk';

// Why an execution (or its alert) was refused: the one list of what `reject_reason` and the webhook's 422 may say.
// The rules' own reasons (precheck, planner, executor), then a broker's error code in snake case.
export type RuleRejectReason =
  | 'account_disabled'
  | 'strategy_disabled'
  | 'kill_switch'
  | 'symbol_mismatch'
  | 'unknown_symbol'
  | 'outside_trading_window'
  | 'risk_limit'
  | 'side_not_allowed'
  | 'broker_not_connected'
  | 'market_closed'
  | 'no_position'
  | 'invalid_quantity'
  | 'at_target'
  // Entry rules and sizing (risk/entry-rules.ts, risk/sizing.ts)
  | 'stale_signal'
  | 'cooldown'
  | 'max_trades_per_day'
  | 'sizing_unavailable'
  | 'size_too_small'
  // A LIVE account that fails its readiness checks (brokers/broker-readiness.ts)
  | 'broker_not_ready'
  // The approval queue (executions/approval/): its owner said no, or nobody answered within approvalTimeoutMinutes
  | 'approval_rejected'
  | 'approval_expired'
  // A leg of an order split at the exchange freeze limit was refused after others went out (store/legs.sql.ts)
  | 'leg_rejected';

/** A broker's refusal: its typed error code in snake case, or broker_rejected for an order it reports rejected. */
export type BrokerRejectReason = Lowercase<BrokerErrorCode> | 'broker_rejected';

export type RejectReason = RuleRejectReason | BrokerRejectReason | 'retries_exhausted';

export const brokerReason = (code: BrokerErrorCode): BrokerRejectReason => code.toLowerCase() as BrokerRejectReason;

// The broker no longer accepts the stored credentials (a permission error on one segment is not this)
const AUTH_REASONS: ReadonlySet<string> = new Set<BrokerRejectReason>(['auth_failed', 'token_expired']);

export const isAuthReason = (reason: string): reason is BrokerRejectReason => AUTH_REASONS.has(reason);
