import { formatIst } from "./ist-time";
import { fromNow } from "./relative-time";

export type TokenState = { tone: "ok" | "warning" | "error" | "muted"; label: string; detail: string };
type Account = { status: string; tokenExpiresAt?: string | null; lastError?: string | null };

const DAY_MS = 86_400_000;

// What the broker page and Home say about an account's access token. DhanHQ tokens last 24 hours, so a
// connected account is usually inside the last day: that is exactly when the trader must be told to renew.
export function tokenState(account: Account, now: string): TokenState {
  if (account.status === "EXPIRED") {
    return {
      tone: "error",
      label: "Token expired",
      detail:
        "The broker stopped accepting the access token: live orders are rejected until you connect again with a new one.",
    };
  }
  if (account.status !== "CONNECTED")
    return {
      tone: "muted",
      label: "Not connected",
      detail: "Connect with your client id and an access token to trade live.",
    };
  if (!account.tokenExpiresAt)
    return { tone: "ok", label: "Connected", detail: "The broker did not say when the token expires." };
  const left = Date.parse(account.tokenExpiresAt) - Date.parse(now);
  const when = `${formatIst(account.tokenExpiresAt)} (${fromNow(account.tokenExpiresAt, now)})`;
  if (left <= 0)
    return {
      tone: "error",
      label: "Token expired",
      detail: `The access token expired ${when}: connect again with a new one.`,
    };
  if (left <= DAY_MS) {
    return {
      tone: "warning",
      label: "Expires within a day",
      detail: `The access token expires ${when}. Generate a new one and connect again before then, or live orders will be rejected.`,
    };
  }
  return { tone: "ok", label: "Connected", detail: `The access token expires ${when}.` };
}
