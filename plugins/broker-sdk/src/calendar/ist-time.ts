// IST has no daylight saving: a fixed +05:30 offset is exact

const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

/** IST calendar day of an instant, YYYY-MM-DD. */
export function istDate(epochMs: number): string {
  return new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of `hhmm` IST on the IST day `date` (YYYY-MM-DD). */
export function istInstant(date: string, hhmm: string): number {
  return Date.parse(`${date}T${hhmm}:00.000Z`) - IST_OFFSET_MS;
}
