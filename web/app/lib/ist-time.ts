// IST (Asia/Kolkata) has been UTC+05:30 with no daylight saving since 1945, so a fixed offset is exact,
// and server and browser render the same text (no locale data involved, no hydration mismatch).
const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number) => String(n).padStart(2, "0");

// "2026-11-26T05:15:06.120Z" -> "26 Nov 2026, 10:45:06 IST"; null/invalid -> "—".
export function formatIst(iso: string | null | undefined): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "—";
  const t = new Date(ms + IST_OFFSET_MS);
  const date = `${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
  return `${date}, ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} IST`;
}

// Time of day only, with milliseconds, for event timelines: "10:45:06.120".
export function formatIstClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "—";
  const t = new Date(ms + IST_OFFSET_MS);
  return `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, "0")}`;
}

// The IST calendar day of an instant, "YYYY-MM-DD" (the API's from/to filters are IST days).
export function istDay(iso: string): string {
  const t = new Date(Date.parse(iso) + IST_OFFSET_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

// For narrow table cells whose header already says IST: "26 Nov 10:45:06".
export function formatIstCompact(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "—";
  const t = new Date(ms + IST_OFFSET_MS);
  return `${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}
