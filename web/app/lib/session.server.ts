import { createCookieSessionStorage, redirect, type Session } from "@remix-run/node";
import { isProduction } from "./config.server";

export type SessionData = { accessToken: string; refreshToken: string };
export type AuthSession = Session<SessionData>;

const DEV_SECRET = "algodatta-dev-session-secret-change-me";

// server/start.js sets SESSION_SECRET from DATA_DIR when it is unset (made once, kept across restarts, so a
// restart logs nobody out); the fixed dev default is only for `remix vite:dev`. A production server started
// some other way without it refuses to start rather than sign cookies with a guessable or per-process key.
function sessionSecret(): string {
  const configured = process.env.SESSION_SECRET;
  if (configured) return configured;
  if (!isProduction()) return DEV_SECRET;
  throw new Error(
    "SESSION_SECRET is not set: start the dashboard with `npm start` (web/server/start.js keeps one in DATA_DIR) or set it",
  );
}

// SESSION_COOKIE_SECURE=false lets a production build run over plain http (e.g. a LAN box).
function cookieSecure(): boolean {
  const flag = process.env.SESSION_COOKIE_SECURE;
  if (flag === "true" || flag === "false") return flag === "true";
  return isProduction();
}

const storage = createCookieSessionStorage<SessionData>({
  cookie: {
    name: "__algodatta_session",
    httpOnly: true,
    path: "/",
    sameSite: "lax",
    secure: cookieSecure(),
    secrets: [sessionSecret()],
    maxAge: 60 * 60 * 24 * 7,
  },
});

export function getSession(request: Request): Promise<AuthSession> {
  return storage.getSession(request.headers.get("Cookie"));
}

export function commitSession(session: AuthSession): Promise<string> {
  return storage.commitSession(session);
}

export function destroySession(session: AuthSession): Promise<string> {
  return storage.destroySession(session);
}

// Only same-origin paths: never let ?redirectTo= send a freshly logged-in user off-site.
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}

export async function startUserSession(tokens: SessionData, redirectTo: string): Promise<Response> {
  const session = await storage.getSession();
  session.set("accessToken", tokens.accessToken);
  session.set("refreshToken", tokens.refreshToken);
  return redirect(redirectTo, { headers: { "Set-Cookie": await commitSession(session) } });
}

export async function redirectToLogin(request: Request, session?: AuthSession, notice?: string): Promise<Response> {
  const url = new URL(request.url);
  const target = url.pathname + url.search;
  const params = new URLSearchParams();
  if (target !== "/") params.set("redirectTo", target);
  if (notice) params.set("notice", notice);
  const query = params.toString();
  const headers = new Headers();
  if (session) headers.append("Set-Cookie", await destroySession(session));
  return redirect(`/login${query ? `?${query}` : ""}`, { headers });
}
