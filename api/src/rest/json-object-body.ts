import type { FieldIssue } from '../shared/app-error';

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
  return { ok: true, body: body as Record<string, unknown> };
}
