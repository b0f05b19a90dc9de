// Exchange sessions as data (has.marketHours): when each segment trades, when intraday positions are squared off and
// when DAY orders expire. A simulated venue declares them; the host then keeps the venue's hours for it.

import type { ExchangeSegment } from './enums';

export const IST_TIMEZONE = 'Asia/Kolkata';

/** A segment's session on one IST calendar day (HH:mm, IST). */
export type SessionDay = { date: string; open: string; close: string };

/** Whether a segment trades at an instant, and if not, why and when it opens next (epoch ms). */
export type MarketState =
  | { open: true; segment: ExchangeSegment; closesAt: number }
  | {
      open: false;
      segment: ExchangeSegment;
      reason: 'weekend' | 'holiday' | 'before_open' | 'after_close';
      holiday?: string;
      nextOpen: number;
    };

/** Segments squared off together at an IST wall-clock time (HH:mm), Monday to Friday. */
export type SquareOffSchedule = {
  segments: ExchangeSegment[];
  time: string;
  timezone: typeof IST_TIMEZONE;
};

/**
 * An exchange calendar: session times per segment, weekends and holidays, intraday square-off times and the time each
 * segment's DAY orders expire. `INDIAN_MARKET_CALENDAR` (NSE, BSE, MCX) is the shared one; a plugin may declare its own.
 */
export type MarketCalendar = {
  marketState(segment: ExchangeSegment, at: number): MarketState;
  /** Default intraday auto square-off times (the host's SQUARE_OFF_TIMES overrides them). */
  squareOffTimes: readonly SquareOffSchedule[];
  /** Session end per segment (IST HH:mm): DAY orders still open at this time expire. */
  sessionEnds: Readonly<Record<ExchangeSegment, string>>;
};

/**
 * What `definition.marketHours(options)` returns for a venue that keeps exchange hours itself (has.marketHours).
 * The host refuses (or queues for the next open) orders outside a session while `enforce` is true, squares off
 * intraday positions at the calendar's times and asks the client to `expireDayOrders` at each session end.
 */
export type MarketHours = {
  /** False: the venue trades around the clock (demos, tests); square-off and DAY expiry still run. */
  enforce: boolean;
  calendar: MarketCalendar;
};
