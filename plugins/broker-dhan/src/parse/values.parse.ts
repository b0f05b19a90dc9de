import Decimal from 'decimal.js';

// Dhan sends numbers as JSON numbers (sometimes as strings); models carry decimal strings without exponents
export function dec(v: unknown, fallback = '0'): string {
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v).toFixed();
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return new Decimal(v.trim()).toFixed();
  return fallback;
}

export function int(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

// "2021-11-24 13:33:03" (IST) -> epoch ms; empty and Dhan's "0001-01-01 ..." placeholder -> undefined
export function parseIstDateTime(v: unknown): number | undefined {
  const s = str(v);
  const m = s?.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/);
  if (!m || Number(m[1]) < 1971) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return utc - IST_OFFSET_MS;
}

// Profile tokenValidity "30/03/2025 15:37" (IST) -> epoch ms
export function parseIstDayFirst(v: unknown): number | undefined {
  const m = str(v)?.match(/^(\d{2})\/(\d{2})\/(\d{4})\s+(\d{2}):(\d{2})/);
  if (!m) return undefined;
  return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])) - IST_OFFSET_MS;
}
