export const SESSION_COOKIE = "__algodatta_session";

// Reads the (signed, not encrypted) Remix cookie session payload, to check token rotation from outside.
export function decodeSessionCookie(value) {
  const raw = decodeURIComponent(value);
  const payload = raw.slice(0, raw.lastIndexOf("."));
  return JSON.parse(decodeURIComponent(escape(Buffer.from(payload, "base64").toString("binary"))));
}
