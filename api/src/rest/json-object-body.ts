import type { FieldIssue } from '../shared/app-error';
import { NUL_MESSAGE, pathOfNul } from '../shared/nul-text';

export type JsonObjectBody = { ok: true; body: Record<string, unknown> } | { ok: false; details: FieldIssue[] };

// Webhook bodies arrive as text (TradingView sends text/plain); both webhooks need a JSON object.
export function parseJsonObject(raw: string, hint = 'body must be a JSON object'): JsonObjectBody {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, details: [{ path: '', message: `${hint} (the text is not valid JSON)` }] };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, details: [{ path: '', message: hint }] };
  // U+0000 can only come from a \u0000 escape, so most bodies skip the walk
  const nulAt = /\\u0000/i.test(raw) ? pathOfNul(body) : null;
  if (nulAt !== null) return { ok: false, details: [{ path: nulAt, message: NUL_MESSAGE }] };
  return { ok: true, body: body as Record<string, unknown> };
}
