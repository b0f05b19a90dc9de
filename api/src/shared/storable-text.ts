// PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses an unpaired UTF-16 surrogate (text would get
// U+FFFD in its place). Input carrying either is refused where it enters (webhook bodies, GraphQL arguments);
// otherwise the insert fails after validation, as an internal error, or the text is silently changed.
export const UNSTORABLE_TEXT_MESSAGE =
  'text must not contain NUL characters (\\u0000) or unpaired surrogates (\\ud800-\\udfff)';

// Only a \u escape can put either into parsed JSON, so bodies without one need no walk
export const mayHoldUnstorableText = (rawJson: string): boolean => /\\u(0000|d[89a-f])/i.test(rawJson);

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isUnstorable = (text: string): boolean => UNSTORABLE.test(text);

// The dotted path of the first string (key or value) that cannot be stored, or null
export function pathOfUnstorableText(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return isUnstorable(value) ? path.join('.') : null;
  if (!value || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (isUnstorable(key)) return [...path, JSON.stringify(key).slice(1, -1)].join('.');
    const found = pathOfUnstorableText(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
