import type { BrokerLogger } from './client';

// A statement or an idle pooled connection that met a dropped connection (a PostgreSQL restart, a failover, an
// operator's pg_terminate_backend) retries on a fresh one: that is a warning, not an error. One classifier for the
// api's background rounds and for every pool's 'error' handler (the paper engine's, Agenda's).
const LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03']); // admin_shutdown, crash_shutdown, cannot_connect_now
const LOST_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
// Also a socket error passed on by its message alone (Agenda's LISTEN connection reports "read ECONNRESET")
const LOST_MESSAGES =
  /connection terminated|terminating connection|connection (?:is )?closed|client has encountered a connection error|\b(?:read|write|connect) (?:ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)\b/i;

export function isDatabaseConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SQLSTATES.has(code) || code.startsWith('08') || LOST_SOCKET_CODES.has(code)))
    return true;
  return LOST_MESSAGES.test(error.message);
}

/**
 * What a pg Pool's 'error' event (an idle client failed) should log: a lost connection is a warning (the pool opens
 * a fresh one on the next query); anything else is an error worth a look.
 */
export function logIdleConnectionError(logger: Pick<BrokerLogger, 'warn' | 'error'>, who: string, error: Error): void {
  if (isDatabaseConnectionLost(error)) logger.warn(`${who}: idle PostgreSQL connection lost`, { error: error.message });
  else logger.error(`${who}: idle PostgreSQL connection failed`, { error: error.message });
}
