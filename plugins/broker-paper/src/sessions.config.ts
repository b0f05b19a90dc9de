// The exchange sessions the paper broker keeps: the SDK's shared calendar of NSE, BSE and MCX. DAY orders expire at
// its session ends (engine), and the host squares off intraday positions at its times (has.marketHours).

import { INDIAN_SESSION_END, INDIAN_SQUARE_OFF_TIMES } from '@algodatta/broker-sdk';
import type { ExchangeSegment } from '@algodatta/broker-sdk';

export { IST_TIMEZONE } from '@algodatta/broker-sdk';
export type { SquareOffSchedule } from '@algodatta/broker-sdk';

/** Default intraday auto square-off times (IST): the shared calendar's. */
export const PAPER_SQUARE_OFF_TIMES = INDIAN_SQUARE_OFF_TIMES;

/** Session end (IST HH:mm) per segment: DAY orders still open at this time expire. */
export const PAPER_SESSION_END = INDIAN_SESSION_END;

export const EXCHANGE_SEGMENTS_BY_EXCHANGE: Readonly<Record<'NSE' | 'BSE' | 'MCX', ExchangeSegment[]>> = Object.freeze({
  NSE: ['NSE_EQ', 'NSE_FNO', 'NSE_CURRENCY'],
  BSE: ['BSE_EQ', 'BSE_FNO', 'BSE_CURRENCY'],
  MCX: ['MCX_COMM'],
});
