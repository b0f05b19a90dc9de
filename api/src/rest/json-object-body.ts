import type { FieldIssue } from '../shared/app-error';
import { mayHoldUnstorableText, pathOfUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '../shared/storable-text';

export type JsonObjectBody = { ok: true; body: Record<string, unknown> } | { ok: false; details: FieldIssue[] };

// Webhook bodies arrive as text (TradingView sends text/plain); both webhooks need a JSON object.
export function parseJsonObject(raw: string, hint = 'body must be a JSON object'): JsonObjectBody {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, details: [{ path: '', message: `${hint} (the text is not valid JSON)` }] };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, details: [{ path: '', message: hint }] };
  const unstorableAt = mayHoldUnstorableText(raw) ? pathOfUnstorableText(body) : null;
  if (unstorableAt !== null) return { ok: false, details: [{ path: unstorableAt, message: UNSTORABLE_TEXT_MESSAGE }] };
  return { ok: true, body: body as Record<string, unknown> };
}
