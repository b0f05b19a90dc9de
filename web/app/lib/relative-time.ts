// "in 5 h", "12 min ago": how far an instant is from `now` (both ISO strings, so server and browser agree)
export function fromNow(iso: string | null | undefined, now: string): string {
  if (!iso) return "—";
  const diff = Date.parse(iso) - Date.parse(now);
  if (Number.isNaN(diff)) return "—";
  const abs = Math.abs(diff);
  const text =
    abs < 60_000
      ? "less than a minute"
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
