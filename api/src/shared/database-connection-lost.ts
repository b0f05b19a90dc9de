// A background loop whose statement met a dropped connection (a PostgreSQL restart, a failover, an operator's
// pg_terminate_backend) retries on a fresh one at its next round: that is a warning, not an error.
const LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03']); // admin_shutdown, crash_shutdown, cannot_connect_now
const LOST_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const LOST_MESSAGES =
  /connection terminated|terminating connection|connection (?:is )?closed|client has encountered a connection error/i;

export function isDatabaseConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SQLSTATES.has(code) || code.startsWith('08') || LOST_SOCKET_CODES.has(code)))
    return true;
  return LOST_MESSAGES.test(error.message);
}
