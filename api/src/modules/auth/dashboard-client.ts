import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { Logger } from '../../shared/logger';

// The dashboard server calls the api on behalf of every browser, so without help all of them would share the web
// server's address, and with it one login budget. It vouches for the browser's address in this header, signed
// with a secret only it and the api know: a caller reaching the api directly cannot choose its address (an
// unsigned, forged or stale header is ignored and its socket's address counts), whether or not a proxy is trusted.
// Value: "<address>; t=<unix seconds>; sig=<hex HMAC-SHA256 of '<address>|<t>'>".
export const DASHBOARD_CLIENT_HEADER = 'x-dashboard-client';
// Written by the dashboard server into DATA_DIR on its first start when DASHBOARD_FORWARD_SECRET is unset
export const DASHBOARD_SECRET_FILE = 'dashboard-forward-secret';
// How far a signature's time may be from ours: replays of a captured header end after this
const MAX_SKEW_SECONDS = 300;
const WARN_EVERY_MS = 60_000;

const signature = (secret: string, address: string, seconds: number) =>
  createHmac('sha256', secret).update(`${address}|${seconds}`).digest('hex');

export function signDashboardClient(secret: string, address: string, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  return `${address}; t=${seconds}; sig=${signature(secret, address, seconds)}`;
}

// DASHBOARD_FORWARD_SECRET, else the dashboard's file, read when first needed (the api may start before the web)
export function dashboardSecretSource(configured: string | undefined, dataDir: string): () => string | undefined {
  let secret = configured;
  return () => {
    if (secret) return secret;
    try {
      secret = fs.readFileSync(path.join(dataDir, DASHBOARD_SECRET_FILE), 'utf8').trim() || undefined;
    } catch {
      /* the dashboard has not written it (yet) */
    }
    return secret;
  };
}

export class DashboardClientVerifier {
  private lastWarning = 0;

  constructor(
    private readonly secret: () => string | undefined,
    private readonly logger: Logger,
  ) {}

  // The browser's address when the header is the dashboard's, else undefined
  address(header: unknown, now = Date.now()): string | undefined {
    if (typeof header !== 'string' || header.length > 256) return undefined;
    const match = /^([0-9A-Fa-f:.]+); t=(\d{1,12}); sig=([0-9a-f]{1,64})$/.exec(header);
    const secret = this.secret();
    if (!match || !secret || !isIP(match[1]))
      return this.refused('malformed header, or no DASHBOARD_FORWARD_SECRET', now);
    const [, address, t, sig] = match;
    if (Math.abs(now / 1000 - Number(t)) > MAX_SKEW_SECONDS)
      return this.refused('stale signature (clocks apart?)', now);
    const expected = Buffer.from(signature(secret, address, Number(t)), 'hex');
    const given = Buffer.from(sig.length % 2 ? '' : sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return this.refused('bad signature (is DASHBOARD_FORWARD_SECRET the same for the web and the api?)', now);
    }
    return address.replace(/^::ffff:/i, '');
  }

  // Once a minute at most: a misconfigured dashboard is worth a line, a caller forging headers is not worth many
  private refused(reason: string, now: number): undefined {
    if (now - this.lastWarning >= WARN_EVERY_MS) {
      this.lastWarning = now;
      this.logger.warn('dashboard client address ignored; the socket address counts', { reason });
    }
    return undefined;
  }
}
