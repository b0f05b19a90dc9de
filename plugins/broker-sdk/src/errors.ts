// Typed broker errors. Branches follow ccxt (the broker said no vs the call failed) plus nautilus's
// rule that a write with an unknown outcome is reconciled by clientOrderId, never re-sent blindly.

export const BROKER_ERROR_CODES = [
  'BROKER_ERROR',
  'AUTH_FAILED',
  'TOKEN_EXPIRED',
  'PERMISSION_DENIED',
  'ORDER_REJECTED',
  'INVALID_ORDER',
  'INSUFFICIENT_FUNDS',
  'MARKET_CLOSED',
  'ORDER_NOT_FOUND',
  'DUPLICATE_ORDER',
  'NOT_SUPPORTED',
  'RATE_LIMITED',
  'NETWORK_ERROR',
  'TIMEOUT',
  'BROKER_UNAVAILABLE',
  'UNKNOWN_OUTCOME',
  'IP_NOT_ALLOWED',
  'KILL_SWITCH_ACTIVE',
] as const;
/** Stable machine-readable error code; never rename one. */
export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[number];

export type BrokerErrorOptions = {
  /** The plugin's manifest name, e.g. "dhan". */
  broker: string;
  cause?: unknown;
  /** Only meaningful on retryable errors: wait at least this long before the next call. */
  retryAfterMs?: number;
  /** Broker-specific code such as "DH-905", for logs and support. */
  brokerCode?: string;
};

export class BrokerError extends Error {
  readonly code: BrokerErrorCode = 'BROKER_ERROR';
  readonly retryable: boolean = false;
  readonly broker: string;
  readonly retryAfterMs?: number;
  readonly brokerCode?: string;
  // Marker for isBrokerError across duplicated module copies (instanceof fails there)
  readonly isBrokerError = true as const;

  constructor(message: string, options: BrokerErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.broker = options.broker;
    this.retryAfterMs = options.retryAfterMs;
    this.brokerCode = options.brokerCode;
  }
}

/** Credentials missing, wrong or revoked. Not retryable: the user must reconnect. */
export class AuthError extends BrokerError {
  override readonly code: BrokerErrorCode = 'AUTH_FAILED';
}
/** The access token expired (DhanHQ: 24 h). */
export class TokenExpiredError extends AuthError {
  override readonly code: BrokerErrorCode = 'TOKEN_EXPIRED';
}
/** Valid credentials without access to this API or segment. */
export class PermissionError extends AuthError {
  override readonly code: BrokerErrorCode = 'PERMISSION_DENIED';
}

/** The broker accepts orders only from the static IP registered for the account (SEBI retail-algo rule, 2026). */
export class IpNotAllowedError extends PermissionError {
  override readonly code: BrokerErrorCode = 'IP_NOT_ALLOWED';
}

/** The broker (or exchange/RMS) refused the request. Re-sending the same request fails the same way. */
export class RejectedError extends BrokerError {
  override readonly code: BrokerErrorCode = 'ORDER_REJECTED';
}
export class InvalidOrderError extends RejectedError {
  override readonly code: BrokerErrorCode = 'INVALID_ORDER';
}
export class InsufficientFundsError extends RejectedError {
  override readonly code: BrokerErrorCode = 'INSUFFICIENT_FUNDS';
}
export class MarketClosedError extends RejectedError {
  override readonly code: BrokerErrorCode = 'MARKET_CLOSED';
}
export class OrderNotFoundError extends RejectedError {
  override readonly code: BrokerErrorCode = 'ORDER_NOT_FOUND';
}
/** The clientOrderId was already used for another order. */
export class DuplicateOrderError extends RejectedError {
  override readonly code: BrokerErrorCode = 'DUPLICATE_ORDER';
}

/** The broker's own kill switch is on: no orders today until it is deactivated. */
export class KillSwitchActiveError extends RejectedError {
  override readonly code: BrokerErrorCode = 'KILL_SWITCH_ACTIVE';
}

/** The plugin does not implement this method or parameter (see manifest `has` / `features`). */
export class NotSupportedError extends BrokerError {
  override readonly code: BrokerErrorCode = 'NOT_SUPPORTED';
}

/** Throttled. Retry after `retryAfterMs` (when known). */
export class RateLimitError extends BrokerError {
  override readonly code: BrokerErrorCode = 'RATE_LIMITED';
  override readonly retryable: boolean = true;
}

/** The call did not reach the broker or its answer was lost before any effect. Safe to retry. */
export class NetworkError extends BrokerError {
  override readonly code: BrokerErrorCode = 'NETWORK_ERROR';
  override readonly retryable: boolean = true;
}
/** A read timed out. For writes, throw UnknownOutcomeError instead: the order may exist. */
export class TimeoutError extends NetworkError {
  override readonly code: BrokerErrorCode = 'TIMEOUT';
}
/** Maintenance, 5xx, exchange not reachable. */
export class BrokerUnavailableError extends NetworkError {
  override readonly code: BrokerErrorCode = 'BROKER_UNAVAILABLE';
}

/**
 * A write (place/modify/cancel) whose result is unknown, e.g. a timeout after the request was sent.
 * Not retryable: look the order up by clientOrderId (getOrder) and only re-send if it does not exist.
 */
export class UnknownOutcomeError extends BrokerError {
  override readonly code: BrokerErrorCode = 'UNKNOWN_OUTCOME';
  readonly clientOrderId?: string;

  constructor(message: string, options: BrokerErrorOptions & { clientOrderId?: string }) {
    super(message, options);
    this.clientOrderId = options.clientOrderId;
  }
}

/** Duck-typed check that survives duplicated module copies and serialization boundaries. */
export function isBrokerError(e: unknown): e is BrokerError {
  if (typeof e !== 'object' || e === null) return false;
  const c = e as { code?: unknown; retryable?: unknown; broker?: unknown };
  return (
    typeof c.code === 'string' &&
    (BROKER_ERROR_CODES as readonly string[]).includes(c.code) &&
    typeof c.retryable === 'boolean' &&
    typeof c.broker === 'string'
  );
}

/** Throw-helper for methods a plugin does not support. */
export function notSupported(broker: string, what: string): never {
  throw new NotSupportedError(`${broker}: ${what} is not supported`, { broker });
}

/** Raised by the loader when a plugin module is unusable; names the plugin and the problem. */
export class PluginLoadError extends Error {
  readonly code = 'PLUGIN_LOAD_FAILED' as const;
  readonly plugin: string;
  readonly problems: string[];

  constructor(plugin: string, problems: string[], cause?: unknown) {
    super(
      `Broker plugin "${plugin}" cannot be loaded: ${problems.join('; ')}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'PluginLoadError';
    this.plugin = plugin;
    this.problems = problems;
  }
}
