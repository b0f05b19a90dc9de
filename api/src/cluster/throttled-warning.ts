import { logger } from '../shared/logger';

// A warning that can repeat for every event while a connection is down: logged once per `everyMs`, with how many
// were left out since
export function throttledWarning(message: string, everyMs = 10_000): (meta: Record<string, unknown>) => void {
  let last = 0;
  let skipped = 0;
  return (meta) => {
    const now = Date.now();
    if (now - last < everyMs) {
      skipped += 1;
      return;
    }
    logger.warn(message, { ...meta, ...(skipped > 0 && { alsoSince: skipped }) });
    last = now;
    skipped = 0;
  };
}
