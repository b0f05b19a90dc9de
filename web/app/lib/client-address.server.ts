import { createHmac } from "node:crypto";

declare module "@remix-run/node" {
  interface AppLoadContext {
    // The browser's address as server/start.js saw it (after WEB_TRUST_PROXY)
    clientAddress?: string;
    // server/start.js: null while the response may be written on, else settles when the browser took what is buffered
    drained?: () => Promise<void> | null;
  }
}

// The api counts login attempts per client address; every call from this server would otherwise share one.
// The header carries the browser's address signed with DASHBOARD_FORWARD_SECRET, which only this server and the
// api know (server/start.js keeps one in DATA_DIR when it is not set). Format and check:
// api/src/modules/auth/dashboard-client.ts.
export const DASHBOARD_CLIENT_HEADER = "x-dashboard-client";

export function signClientAddress(secret: string, address: string, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  const sig = createHmac("sha256", secret).update(`${address}|${seconds}`).digest("hex");
  return `${address}; t=${seconds}; sig=${sig}`;
}

export function clientAddressHeaders(address: string | undefined): Record<string, string> {
  const secret = process.env.DASHBOARD_FORWARD_SECRET;
  if (!address || !secret) return {};
  return { [DASHBOARD_CLIENT_HEADER]: signClientAddress(secret, address) };
}
