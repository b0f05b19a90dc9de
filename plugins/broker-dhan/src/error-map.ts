// Every Dhan failure -> one typed SDK error, in ONE table (first matching row wins). ccxt's exact/broad split:
// rows with `code` match Dhan's error code exactly, `message` narrows a code by its text, `status`/`failure` are broad.
import {
  AuthError,
  BrokerError,
  BrokerUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  MarketClosedError,
  NetworkError,
  OrderNotFoundError,
  PermissionError,
  RateLimitError,
  RejectedError,
  TimeoutError,
  TokenExpiredError,
  UnknownOutcomeError,
  IpNotAllowedError,
  KillSwitchActiveError,
} from '@algodatta/broker-sdk';
import type { BrokerErrorOptions } from '@algodatta/broker-sdk';
import type { DhanFailure } from './http/dhan-failure';

export const BROKER_NAME = 'dhan';

/** read: safe to repeat; write: place/modify/cancel (may have taken effect); lookup: a read of one order by id. */
export type DhanOp = 'read' | 'write' | 'lookup';

type ErrorClass = new (message: string, options: BrokerErrorOptions) => BrokerError;

export type ErrorMapRow = {
  id: string;
  code?: string; // DH-9xx, RS-9005 (legacy internalErrorCode) or a Data API code such as "807"
  message?: RegExp;
  status?: number | '4xx' | '5xx';
  failure?: Exclude<DhanFailure['kind'], 'http'>;
  op?: DhanOp;
  error: ErrorClass;
  retryAfterMs?: number;
  why: string;
};

export const DHAN_ERROR_MAP: readonly ErrorMapRow[] = [
  // Any code: Dhan's exact code for a non-whitelisted IP is unconfirmed, its message names the IP rule
  {
    id: 'static-ip',
    message: /static ip|whitelist/i,
    error: IpNotAllowedError,
    why: 'order APIs are accepted only from the registered static IP',
  },
  {
    id: 'DH-901',
    code: 'DH-901',
    error: TokenExpiredError,
    why: 'client id or token invalid or expired (24 h tokens); the user must reconnect',
  },
  { id: 'DH-902', code: 'DH-902', error: PermissionError, why: 'no access to this API (not subscribed)' },
  { id: 'DH-903', code: 'DH-903', error: PermissionError, why: 'account problem, e.g. segment not activated' },
  {
    id: 'DH-904',
    code: 'DH-904',
    error: RateLimitError,
    retryAfterMs: 1000,
    why: 'throttled; windows are 1 s to 1 day',
  },
  {
    id: 'DH-905',
    code: 'DH-905',
    error: InvalidOrderError,
    why: 'missing or bad fields (lot multiple, numeric securityId, price missing)',
  },
  {
    id: 'DH-906/funds',
    code: 'DH-906',
    message: /insufficient|margin|fund|balance/i,
    error: InsufficientFundsError,
    why: 'RMS: not enough margin',
  },
  {
    id: 'DH-906/closed',
    code: 'DH-906',
    message: /market (is )?closed|outside (market|trading)|after market|holiday|not open for trading/i,
    error: MarketClosedError,
    why: 'exchange session closed',
  },
  {
    id: 'DH-906/kill-switch',
    code: 'DH-906',
    message: /kill ?switch is (active|activated|on)/i,
    error: KillSwitchActiveError,
    why: "the account's kill switch blocks trading for the day",
  },
  {
    id: 'DH-906',
    code: 'DH-906',
    error: RejectedError,
    why: 'order cannot be processed (RMS or exchange rule, kill switch, order not open)',
  },
  {
    id: 'DH-907/lookup',
    code: 'DH-907',
    op: 'lookup',
    error: OrderNotFoundError,
    why: 'no data for this order id / correlation id',
  },
  { id: 'DH-907', code: 'DH-907', error: RejectedError, why: 'bad parameters or no data' },
  { id: 'DH-908', code: 'DH-908', error: BrokerUnavailableError, why: 'Dhan internal server error' },
  { id: 'DH-909', code: 'DH-909', error: BrokerUnavailableError, why: 'Dhan backend unreachable' },
  { id: 'DH-910', code: 'DH-910', error: BrokerError, why: 'unclassified by Dhan' },
  {
    id: 'RS-9005',
    code: 'RS-9005',
    error: InvalidOrderError,
    why: 'legacy "Transactions Fails": bad lot multiple or securityId',
  },
  { id: '800', code: '800', error: BrokerUnavailableError, why: 'Data API internal error' },
  {
    id: '805',
    code: '805',
    error: RateLimitError,
    retryAfterMs: 1000,
    why: 'Data API: too many requests or connections',
  },
  { id: '806', code: '806', error: PermissionError, why: 'Data API not subscribed' },
  { id: '807', code: '807', error: TokenExpiredError, why: 'Data API: token expired' },
  { id: '808', code: '808', error: AuthError, why: 'Data API: authentication failed' },
  { id: '809', code: '809', error: AuthError, why: 'Data API: token invalid' },
  { id: '810', code: '810', error: AuthError, why: 'Data API: client id invalid' },
  { id: 'HTTP 401', status: 401, error: AuthError, why: 'unauthenticated without a Dhan code' },
  { id: 'HTTP 403', status: 403, error: PermissionError, why: 'forbidden (e.g. IP not whitelisted)' },
  { id: 'HTTP 404/lookup', status: 404, op: 'lookup', error: OrderNotFoundError, why: 'no such order' },
  { id: 'HTTP 429', status: 429, error: RateLimitError, retryAfterMs: 1000, why: 'throttled by a gateway' },
  { id: 'HTTP 400', status: 400, error: InvalidOrderError, why: 'bad request without a Dhan code' },
  { id: 'HTTP 4xx', status: '4xx', error: RejectedError, why: 'other client errors' },
  { id: 'HTTP 5xx', status: '5xx', error: BrokerUnavailableError, why: 'server or gateway failure' },
  {
    id: 'timeout/write',
    failure: 'timeout',
    op: 'write',
    error: UnknownOutcomeError,
    why: 'the write may have taken effect: reconcile by correlation id',
  },
  { id: 'timeout', failure: 'timeout', error: TimeoutError, why: 'a read timed out; safe to repeat' },
  { id: 'connect', failure: 'connect', error: NetworkError, why: 'never reached Dhan; safe to repeat, even a write' },
  {
    id: 'dropped/write',
    failure: 'dropped',
    op: 'write',
    error: UnknownOutcomeError,
    why: 'connection lost after sending a write',
  },
  { id: 'dropped', failure: 'dropped', error: NetworkError, why: 'connection lost during a read' },
  {
    id: 'bad_response/write',
    failure: 'bad_response',
    op: 'write',
    error: UnknownOutcomeError,
    why: 'a write answered with something unreadable',
  },
  { id: 'bad_response', failure: 'bad_response', error: BrokerUnavailableError, why: 'unreadable answer' },
];

export type DhanErrorDetails = { code?: string; message?: string };

// Current shape {errorType, errorCode, errorMessage}; legacy {errorCode, httpStatus, internalErrorCode, internalErrorMessage}
export function dhanErrorDetails(body: unknown): DhanErrorDetails {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  return {
    code: str(b.internalErrorCode) ?? str(b.errorCode),
    message: str(b.errorMessage) ?? str(b.internalErrorMessage) ?? str(b.message),
  };
}

function statusMatches(rule: ErrorMapRow['status'], status: number): boolean {
  if (rule === '4xx') return status >= 400 && status < 500;
  if (rule === '5xx') return status >= 500;
  return rule === status;
}

export function findErrorRow(failure: DhanFailure, op: DhanOp): ErrorMapRow | undefined {
  const details = failure.kind === 'http' ? dhanErrorDetails(failure.body) : {};
  return DHAN_ERROR_MAP.find((row) => {
    if (row.op && row.op !== op) return false;
    if (row.failure) return failure.kind === row.failure;
    if (failure.kind !== 'http') return false;
    if (row.message && !row.code && !row.status) return row.message.test(details.message ?? '');
    if (row.code) return details.code === row.code && (!row.message || row.message.test(details.message ?? ''));
    return row.status !== undefined && statusMatches(row.status, failure.status);
  });
}

/** Maps one failed Dhan call to the SDK's typed error. */
export function mapDhanFailure(
  failure: DhanFailure,
  opts: { op: DhanOp; what: string; clientOrderId?: string; cause?: unknown },
): BrokerError {
  const row = findErrorRow(failure, opts.op);
  const details = failure.kind === 'http' ? dhanErrorDetails(failure.body) : {};
  const detail =
    failure.kind === 'http'
      ? `HTTP ${failure.status}${details.code ? ` ${details.code}` : ''}${details.message ? `: ${details.message}` : ''}`
      : failure.kind;
  const message = `dhan: ${opts.what} failed (${detail})`;
  const base: BrokerErrorOptions = {
    broker: BROKER_NAME,
    cause: opts.cause,
    brokerCode: details.code,
    retryAfterMs: row?.retryAfterMs,
  };
  if (row?.error === UnknownOutcomeError)
    return new UnknownOutcomeError(message, { ...base, clientOrderId: opts.clientOrderId });
  return new (row?.error ?? BrokerError)(message, base);
}
