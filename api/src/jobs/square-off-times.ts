import { EXCHANGE_SEGMENTS, type MarketCalendar } from '@algodatta/broker-sdk';
import { ConfigError } from '../config/config';
import type { SquareOffSchedule } from './agenda';

const SEGMENTS = new Set<string>(EXCHANGE_SEGMENTS);
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// SQUARE_OFF_TIMES: "NSE_EQ,BSE_EQ,NSE_FNO,BSE_FNO@15:15;MCX_COMM@23:25" (IST), one group per time.
export function formatSquareOffTimes(schedules: readonly SquareOffSchedule[]): string {
  return schedules.map((s) => `${s.segments.join(',')}@${s.time}`).join(';');
}

export function parseSquareOffTimes(text: string): SquareOffSchedule[] {
  if (!text.trim()) return [];
  return text.split(';').map((group) => {
    const [segmentList, time] = group.split('@').map((p) => p?.trim());
    const segments = (segmentList ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = segments.filter((s) => !SEGMENTS.has(s));
    if (!segments.length || unknown.length || !time || !HHMM.test(time)) {
      throw new ConfigError(
        `Invalid configuration:\n  SQUARE_OFF_TIMES: "${group}" must look like NSE_EQ,NSE_FNO@15:15 (known segments: ${[...SEGMENTS].join(', ')})`,
      );
    }
    return { segments, time };
  });
}

// The paper venue's intraday square-off: SQUARE_OFF_TIMES when set, else its calendar's own times (none without one)
export function squareOffSchedules(setting: string | undefined, calendar: MarketCalendar | null): SquareOffSchedule[] {
  if (setting !== undefined) return parseSquareOffTimes(setting);
  return (calendar?.squareOffTimes ?? []).map((s) => ({ segments: [...s.segments], time: s.time }));
}
