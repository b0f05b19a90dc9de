// Keys whose values must never reach a log line, whatever object they sit in.
const SENSITIVE_KEY =
  /pass(word)?|secret|token|authorization|api[-_]?key|access[-_]?token|credential|cookie|encryption/i;
const BEARER = /Bearer\s+[A-Za-z0-9\-_.~+/]+=*/g;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return value.replace(BEARER, 'Bearer ***').replace(JWT, '***');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error)
    return {
      name: value.name,
      message: redact(value.message, depth + 1),
      stack: value.stack && redact(value.stack, depth + 1),
    };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SENSITIVE_KEY.test(k) ? '***' : redact(v, depth + 1),
      ]),
    );
  }
  return value;
}
