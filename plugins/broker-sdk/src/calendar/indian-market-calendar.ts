// The shared calendar of the Indian exchanges (NSE, BSE, MCX), as data: session times per segment, weekends, the
// holiday list (exchange-holidays.ts), intraday square-off times and DAY-order expiry. Any plugin for these
// exchanges may declare it (the paper broker does); the host reads it only through MarketCalendar.

import type { ExchangeSegment } from '../enums';
import type { MarketCalendar, MarketState, SessionDay, SquareOffSchedule } from '../market-hours.models';
import { IST_TIMEZONE } from '../market-hours.models';
import { EXCHANGE_HOLIDAYS } from './exchange-holidays';
import { istDate, istInstant } from './ist-time';

type Exchange = 'NSE' | 'BSE' | 'MCX';

/** Regular session per segment, IST HH:mm. MCX closes 23:30 while the US is on summer time, else 23:55. */
export const SEGMENT_SESSIONS: Readonly<
  Record<ExchangeSegment, { exchange: Exchange; open: string; close: string | 'MCX' }>
> = Object.freeze({
  NSE_EQ: { exchange: 'NSE', open: '09:15', close: '15:30' },
  BSE_EQ: { exchange: 'BSE', open: '09:15', close: '15:30' },
  NSE_FNO: { exchange: 'NSE', open: '09:15', close: '15:30' },
  BSE_FNO: { exchange: 'BSE', open: '09:15', close: '15:30' },
  NSE_CURRENCY: { exchange: 'NSE', open: '09:00', close: '17:00' },
  BSE_CURRENCY: { exchange: 'BSE', open: '09:00', close: '17:00' },
  MCX_COMM: { exchange: 'MCX', open: '09:00', close: 'MCX' },
});

const MCX_EVENING_OPEN = '17:00';
const HOLIDAYS = new Map(EXCHANGE_HOLIDAYS.map((h) => [h.date, h]));
const DAY_MS = 86_400_000;
// A long weekend plus a holiday is a few days; nothing closes a segment for this long
const SEARCH_DAYS = 30;

// US daylight saving time: second Sunday of March to first Sunday of November (the switch happens on a Sunday,
// when MCX is closed, so a calendar day decides it)
function usSummerTime(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return new Date(Date.UTC(year, month, 1 + ((7 - first) % 7) + 7 * (n - 1))).toISOString().slice(0, 10);
  };
  return date >= nthSunday(2, 2) && date < nthSunday(10, 1);
}

/** The segment's session on an IST calendar day, or null when it does not trade that day. */
export function sessionOn(segment: ExchangeSegment, date: string): SessionDay | null {
  const spec = SEGMENT_SESSIONS[segment];
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return null;
  const holiday = HOLIDAYS.get(date);
  const close = spec.close === 'MCX' ? (usSummerTime(date) ? '23:30' : '23:55') : spec.close;
  if (!holiday) return { date, open: spec.open, close };
  if (spec.exchange === 'MCX' && holiday.mcx === 'evening') return { date, open: MCX_EVENING_OPEN, close };
  return null;
}

/** Whether the segment trades at `at` (epoch ms), and if not, why and when it opens next. */
export function marketState(segment: ExchangeSegment, at: number): MarketState {
  const today = istDate(at);
  const session = sessionOn(segment, today);
  if (session) {
    const opens = istInstant(today, session.open);
    const closes = istInstant(today, session.close);
    if (at >= opens && at < closes) return { open: true, segment, closesAt: closes };
  }
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const reason = session
    ? at < istInstant(today, session.open)
      ? 'before_open'
      : 'after_close'
    : weekday === 0 || weekday === 6
      ? 'weekend'
      : 'holiday';
  const holiday = reason === 'holiday' || (session && HOLIDAYS.has(today)) ? HOLIDAYS.get(today)?.name : undefined;
  return { open: false, segment, reason, ...(holiday && { holiday }), nextOpen: nextOpenAfter(segment, at) };
}

/** The first session open at or after `at` (epoch ms). */
export function nextOpenAfter(segment: ExchangeSegment, at: number): number {
  for (let day = 0; day <= SEARCH_DAYS; day++) {
    const date = istDate(at + day * DAY_MS);
    const session = sessionOn(segment, date);
    if (!session) continue;
    const opens = istInstant(date, session.open);
    if (opens >= at) return opens;
    if (at < istInstant(date, session.close)) return at;
  }
  throw new Error(`no ${segment} session within ${SEARCH_DAYS} days of ${new Date(at).toISOString()}`);
}

/** Default intraday auto square-off times (IST), as brokers run them: 15:15 for NSE/BSE equity and F&O, 23:25 MCX. */
export const INDIAN_SQUARE_OFF_TIMES: readonly SquareOffSchedule[] = Object.freeze([
  { segments: ['NSE_EQ', 'BSE_EQ', 'NSE_FNO', 'BSE_FNO'], time: '15:15', timezone: IST_TIMEZONE },
  { segments: ['MCX_COMM'], time: '23:25', timezone: IST_TIMEZONE },
  // Currency derivatives trade until 17:00; square off a quarter hour before, like the equity rule
  { segments: ['NSE_CURRENCY', 'BSE_CURRENCY'], time: '16:45', timezone: IST_TIMEZONE },
]);

/** Session end (IST HH:mm) per segment: DAY orders still open at this time expire. */
export const INDIAN_SESSION_END: Readonly<Record<ExchangeSegment, string>> = Object.freeze({
  NSE_EQ: '15:30',
  BSE_EQ: '15:30',
  NSE_FNO: '15:30',
  BSE_FNO: '15:30',
  // MCX closes 23:30 (US summer time) or 23:55 (US winter time); the later bound never expires a live order early
  MCX_COMM: '23:55',
  NSE_CURRENCY: '17:00',
  BSE_CURRENCY: '17:00',
});

/** NSE, BSE and MCX as one MarketCalendar. */
export const INDIAN_MARKET_CALENDAR: MarketCalendar = Object.freeze({
  marketState,
  squareOffTimes: INDIAN_SQUARE_OFF_TIMES,
  sessionEnds: INDIAN_SESSION_END,
});
