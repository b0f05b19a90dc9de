// Chart points from the API's exact figures. A chart draws with floats, so here (and only here) decimal strings
// become numbers: what is shown as money stays the API's string (money-format.ts).
const IST_OFFSET_S = 5.5 * 60 * 60;

export type TimePoint = { time: number; value: number };
export type DayPoint = { time: string; value: number };

type EquityInput = { at: string; equity: string; drawdown: string };

// lightweight-charts shows its time axis in UTC; shifting each instant by +05:30 makes it read IST. Its points must
// be strictly ascending in whole seconds: a trip closed in the same second as the one before is drawn a second
// later (merging them would hide a fall between them). The curve starts from 0 a second before the first trip, as
// the report measures it (one trip is then a line too).
export function equitySeries(points: EquityInput[]): { equity: TimePoint[]; drawdown: TimePoint[] } {
  const equity: TimePoint[] = [];
  const drawdown: TimePoint[] = [];
  for (const p of points) {
    const at = Math.floor(Date.parse(p.at) / 1000) + IST_OFFSET_S;
    if (Number.isNaN(at)) continue;
    const time = equity.length && equity[equity.length - 1].time >= at ? equity[equity.length - 1].time + 1 : at;
    equity.push({ time, value: Number(p.equity) });
    // Drawn below the axis: a fall is a depth
    drawdown.push({ time, value: 0 - Number(p.drawdown) });
  }
  if (equity.length) {
    equity.unshift({ time: equity[0].time - 1, value: 0 });
    drawdown.unshift({ time: drawdown[0].time - 1, value: 0 });
  }
  return { equity, drawdown };
}

export function dailySeries(days: Array<{ date: string; pnl: string }>): DayPoint[] {
  return days.map((d) => ({ time: d.date, value: Number(d.pnl) }));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// A daily bar's axis label, "01 Dec": the chart hands back the day as the string it was given or as its parts
export function dayLabel(time: unknown): string | null {
  if (typeof time === "string" && /^\d{4}-\d{2}-\d{2}$/.test(time))
    return `${time.slice(8, 10)} ${MONTHS[Number(time.slice(5, 7)) - 1]}`;
  if (time && typeof time === "object" && "day" in time && "month" in time) {
    const { day, month } = time as { day: number; month: number };
    return `${String(day).padStart(2, "0")} ${MONTHS[month - 1]}`;
  }
  return null;
}
