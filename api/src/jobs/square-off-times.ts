import { PAPER_SESSION_END, PAPER_SQUARE_OFF_TIMES } from '@algodatta/broker-paper';
import { ConfigError } from '../config/config';
import type { SquareOffSchedule } from './agenda';

const SEGMENTS = new Set(Object.keys(PAPER_SESSION_END));
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// SQUARE_OFF_TIMES: "NSE_EQ,BSE_EQ,NSE_FNO,BSE_FNO@15:15;MCX_COMM@23:25" (IST), one group per time.
export const DEFAULT_SQUARE_OFF_TIMES = PAPER_SQUARE_OFF_TIMES.map((s) => `${s.segments.join(',')}@${s.time}`).join(';');

export function parseSquareOffTimes(text: string): SquareOffSchedule[] {
  if (!text.trim()) return [];
  return text.split(';').map((group) => {
    const [segmentList, time] = group.split('@').map((p) => p?.trim());
    const segments = (segmentList ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = segments.filter((s) => !SEGMENTS.has(s));
    if (!segments.length || unknown.length || !time || !HHMM.test(time)) {
      throw new ConfigError(`Invalid configuration:\n  SQUARE_OFF_TIMES: "${group}" must look like NSE_EQ,NSE_FNO@15:15 (known segments: ${[...SEGMENTS].join(', ')})`);
    }
    return { segments, time };
  });
}

// The distinct IST session-end times at which open DAY orders expire.
export const SESSION_END_TIMES = [...new Set(Object.values(PAPER_SESSION_END))].sort();
