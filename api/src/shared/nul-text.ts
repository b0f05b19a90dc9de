// PostgreSQL text and jsonb cannot hold U+0000. Input carrying one is refused where it enters (webhook bodies,
// GraphQL arguments); otherwise it fails at the insert, after validation, as an internal error.
export const NUL_MESSAGE = 'text must not contain NUL characters (\\u0000)';

// The dotted path of the first string (key or value) holding U+0000, or null
export function pathOfNul(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : null;
  if (!value || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replace(/\u0000/g, '\\u0000')].join('.');
    const found = pathOfNul(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
