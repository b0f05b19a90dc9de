import type { AuthedApi } from "./authed-api.server";
import { apiWsUrl } from "./config.server";

export type LiveConnection = { url: string; token: string };

// What the browser needs to open the graphql-ws subscription straight to the API. The access token is
// exposed only here, on pages with live updates; the refresh token never leaves the httpOnly cookie.
// Call after the loader's API calls, so a token refreshed during this request is the one handed out.
export function liveConnection(api: AuthedApi): LiveConnection {
  const token = api.session.get("accessToken") ?? "";
  return { url: apiWsUrl(), token };
}

// A page that carries a bearer token: no shared or browser cache may keep it. For the route's `headers`
// export (documents) and its loader responses (client navigations, revalidation).
export const NO_STORE = "private, no-store";

export async function noStoreHeaders(api: AuthedApi): Promise<Headers> {
  const headers = await api.headers();
  headers.set("Cache-Control", NO_STORE);
  return headers;
}
