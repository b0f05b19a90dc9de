// Exchange session times (IST) the paper broker enforces for DAY expiry and intraday square-off.
// The api schedules squareOff() jobs from PAPER_SQUARE_OFF_TIMES; expireDayOrders() uses PAPER_SESSION_END.

import type { ExchangeSegment } from '@algodatta/broker-sdk';

export const IST_TIMEZONE = 'Asia/Kolkata';

export type SquareOffSchedule = {
  /** Segments closed by this job. */
  segments: ExchangeSegment[];
  /** HH:mm in IST. */
  time: string;
  timezone: typeof IST_TIMEZONE;
};

/** Default intraday auto square-off times (IST), as brokers run them: 15:15 for NSE/BSE equity and F&O, 23:25 MCX. */
export const PAPER_SQUARE_OFF_TIMES: readonly SquareOffSchedule[] = Object.freeze([
  { segments: ['NSE_EQ', 'BSE_EQ', 'NSE_FNO', 'BSE_FNO'], time: '15:15', timezone: IST_TIMEZONE },
  { segments: ['MCX_COMM'], time: '23:25', timezone: IST_TIMEZONE },
  // Currency derivatives trade until 17:00; square off a quarter hour before, like the equity rule
  { segments: ['NSE_CURRENCY', 'BSE_CURRENCY'], time: '16:45', timezone: IST_TIMEZONE },
]);

/** Session end (IST HH:mm) per segment: DAY orders still open at this time expire. */
export const PAPER_SESSION_END: Readonly<Record<ExchangeSegment, string>> = Object.freeze({
  NSE_EQ: '15:30',
  BSE_EQ: '15:30',
  NSE_FNO: '15:30',
  BSE_FNO: '15:30',
  // MCX closes 23:30 (US summer time) or 23:55 (US winter time); the later bound never expires a live order early
  MCX_COMM: '23:55',
  NSE_CURRENCY: '17:00',
  BSE_CURRENCY: '17:00',
});

export const EXCHANGE_SEGMENTS_BY_EXCHANGE: Readonly<Record<'NSE' | 'BSE' | 'MCX', ExchangeSegment[]>> = Object.freeze({
  NSE: ['NSE_EQ', 'NSE_FNO', 'NSE_CURRENCY'],
  BSE: ['BSE_EQ', 'BSE_FNO', 'BSE_CURRENCY'],
  MCX: ['MCX_COMM'],
});
