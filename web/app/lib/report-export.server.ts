import { apiUrl } from "./config.server";
import { commitSession, getSession, redirectToLogin } from "./session.server";
import { refreshTokens } from "./token-refresh.server";

// The api's CSV parameters, the only ones passed on: anything else on the dashboard's URL stays here
const PARAMS = ["from", "to", "strategy_id", "symbol", "mode", "kind"];
// What the browser needs from the api's answer to save the file as the api named it
const PASSED_HEADERS = ["content-type", "content-disposition"];

const exportUrl = (search: URLSearchParams) => {
  const url = new URL("/api/reports/export", apiUrl());
  for (const name of PARAMS) {
    const value = search.get(name);
    if (value) url.searchParams.set(name, value);
  }
  return url;
};

// GET /api/reports/export with the session's access token, answered as a stream: the browser holds no token, and
// a million rows pass through without being held here. A token that expired is refreshed once (like a page's
// loader); the browser going away cancels the api's request.
export async function proxyReportExport(request: Request, drained?: () => Promise<void> | null): Promise<Response> {
  const session = await getSession(request);
  const accessToken = session.get("accessToken");
  const refreshToken = session.get("refreshToken");
  if (!accessToken || !refreshToken) throw await redirectToLogin(request);
  const url = exportUrl(new URL(request.url).searchParams);
  const call = (token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: request.signal });

  let upstream: globalThis.Response;
  const headers = new Headers({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  try {
    upstream = await call(accessToken);
    if (upstream.status === 401) {
      await upstream.body?.cancel();
      const outcome = await refreshTokens(refreshToken);
      if (outcome.kind === "expired") throw await redirectToLogin(request, session, "expired");
      if (outcome.kind === "unavailable") return unavailable(headers);
      session.set("accessToken", outcome.tokens.accessToken);
      session.set("refreshToken", outcome.tokens.refreshToken);
      headers.append("Set-Cookie", await commitSession(session));
      upstream = await call(outcome.tokens.accessToken);
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    return unavailable(headers);
  }
  if (upstream.status === 401) throw await redirectToLogin(request, session, "expired");
  if (upstream.status !== 200 || !upstream.body) {
    // The api's message (a bad date, a range the wrong way round), as text the browser shows
    const body = (await upstream.json().catch(() => null)) as { message?: string } | null;
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(`The export was refused: ${body?.message ?? `HTTP ${upstream.status}`}\n`, {
      status: upstream.status,
      headers,
    });
  }
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(drained ? paced(upstream.body, drained) : upstream.body, { status: 200, headers });
}

// The api's body, read one chunk at a time and only once the browser has taken the last one: a slow download
// holds the api's stream (and its cursor) back instead of piling the file up in this process
function paced(body: ReadableStream<Uint8Array>, drained: () => Promise<void> | null): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await drained();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function unavailable(headers: Headers): Response {
  headers.set("Content-Type", "text/plain; charset=utf-8");
  return new Response("The AlgoDatta API could not be reached. Please try again in a moment.\n", {
    status: 502,
    headers,
  });
}
