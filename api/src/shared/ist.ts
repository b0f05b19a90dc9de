// India has no daylight saving: IST is always UTC+05:30, so fixed-offset arithmetic is exact.
const IST_OFFSET_MS = 330 * 60_000;

export const IST_TIMEZONE = 'Asia/Kolkata';

export function istParts(at: Date): { date: string; minutes: number; weekday: number } {
  const shifted = new Date(at.getTime() + IST_OFFSET_MS);
  return {
    date: shifted.toISOString().slice(0, 10),
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  };
}

export const hhmmToMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// A window may wrap midnight (e.g. MCX 21:00-01:00).
export function insideIstWindow(at: Date, start: string, end: string): boolean {
  const now = istParts(at).minutes;
  const s = hhmmToMinutes(start);
  const e = hhmmToMinutes(end);
  return s <= e ? now >= s && now <= e : now >= s || now <= e;
}

// The UTC instants of an IST calendar day [start, end), for date filters given as YYYY-MM-DD IST.
export function istDayRange(date: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${date}T00:00:00.000Z`) - IST_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

export function formatIst(at: Date): string {
  return new Intl.DateTimeFormat('en-IN', { timeZone: IST_TIMEZONE, dateStyle: 'medium', timeStyle: 'medium' }).format(
    at,
  );
}
