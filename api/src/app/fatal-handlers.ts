import type { Logger } from '../shared/logger';

const FLUSH_MS = 200;

// A rejection nobody handled or an exception nobody caught leaves the process in an unknown state: log it as
// JSON (with the correlation id of the work it came from, when there is one) and exit non-zero. Nothing is
// lost: accepted alerts are in the database, and the recovery sweep of the next start (or of another
// process) finishes them.
export function installFatalHandlers(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let exiting = false;
  const fatal = (kind: 'rejection' | 'exception') => (error: unknown) => {
    logger.error(`unhandled ${kind}, exiting`, { error });
    if (exiting) return;
    exiting = true;
    // Let the log line reach stdout first
    setTimeout(() => exit(1), FLUSH_MS);
  };
  process.on('unhandledRejection', fatal('rejection'));
  process.on('uncaughtException', fatal('exception'));
}
