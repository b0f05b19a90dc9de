// A strategy's timeframe in one spelling, whichever of TradingView's forms it arrived in. TradingView's {{interval}}
// says "5" for five minutes, "60" for an hour, "1D" or "D" for a day; the dashboard offers "5m", "1h", "1D". Both
// must show the same everywhere, so the stored form is: seconds "30s", minutes "5m", whole hours "1h"/"4h", and
// days, weeks, months "1D", "1W", "1M" (TradingView's capital M is months; a lower-case m is minutes).
// The web keeps a copy of this function (web/app/lib/timeframe.ts) to show older rows the same way.

// 1, 5, 15, 60, 240 (minutes), 30S, 1D, D, 1W, W, 1M, M, and the common 5m / 1h spellings
export const TIMEFRAME = /^(\d{1,4}[SsmhHDWM]?|[DWM])$/;

// Canonical spelling, or null when `raw` is not a timeframe (or is zero long)
export function normalizeTimeframe(raw: string): string | null {
  const value = raw.trim();
  if (!TIMEFRAME.test(value)) return null;
  const bare = /^[DWM]$/.test(value) ? `1${value}` : value;
  const count = Number.parseInt(bare, 10);
  if (!(count > 0)) return null;
  const unit = bare.slice(String(bare.match(/^\d+/)![0]).length);
  switch (unit) {
    case 'S':
    case 's':
      return `${count}s`;
    case 'D':
    case 'W':
    case 'M':
      return `${count}${unit}`;
    case 'h':
    case 'H':
      return `${count}h`;
    default: {
      // minutes: "5", "5m", "60", "240"
      return count % 60 === 0 ? `${count / 60}h` : `${count}m`;
    }
  }
}
