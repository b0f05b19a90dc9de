import { RefreshTokenDocument } from "../graphql/generated/graphql";
import { createApiClient } from "./api-client.server";
import type { SessionData } from "./session.server";

export type RefreshOutcome = { kind: "refreshed"; tokens: SessionData } | { kind: "expired" } | { kind: "unavailable" };

// Refresh tokens rotate: parallel loaders of one page (or two tabs) holding the same old token
// must share ONE refresh call, or the second call would present a spent token and log the user out.
const SHARE_WINDOW_MS = 30_000;
const inFlight = new Map<string, { startedAt: number; outcome: Promise<RefreshOutcome> }>();

export function refreshTokens(refreshToken: string): Promise<RefreshOutcome> {
  const now = Date.now();
  for (const [token, entry] of inFlight) {
    if (now - entry.startedAt > SHARE_WINDOW_MS) inFlight.delete(token);
  }
  const existing = inFlight.get(refreshToken);
  if (existing) return existing.outcome;
  const outcome = callRefresh(refreshToken);
  inFlight.set(refreshToken, { startedAt: now, outcome });
  // An outage must not be remembered: the next request should try again.
  void outcome.then((result) => {
    if (result.kind === "unavailable") inFlight.delete(refreshToken);
  });
  return outcome;
}

async function callRefresh(refreshToken: string): Promise<RefreshOutcome> {
  const result = await createApiClient().mutation(RefreshTokenDocument, { token: refreshToken }).toPromise();
  const payload = result.data?.refreshToken;
  if (payload)
    return { kind: "refreshed", tokens: { accessToken: payload.accessToken, refreshToken: payload.refreshToken } };
  if (result.error?.networkError) return { kind: "unavailable" };
  // Any GraphQL error here (expired, revoked, reused, user disabled) means the session is over.
  return { kind: "expired" };
}
