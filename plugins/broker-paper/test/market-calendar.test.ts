// The paper sessions: segment hours, weekends, the holiday list and the next open, on fixed instants (IST)
import { EXCHANGE_HOLIDAYS, marketState, nextOpenAfter, sessionOn } from '../src';

const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+05:30`);

describe('segment sessions', () => {
  it('NSE and BSE equity and F&O trade 09:15-15:30 IST on weekdays', () => {
    expect(marketState('NSE_EQ', at('2026-12-01', '09:14')).open).toBe(false);
    expect(marketState('NSE_EQ', at('2026-12-01', '09:15')).open).toBe(true);
    expect(marketState('BSE_FNO', at('2026-12-01', '15:29')).open).toBe(true);
    const evening = marketState('NSE_EQ', at('2026-12-01', '19:06'));
    expect(evening).toMatchObject({ open: false, reason: 'after_close', nextOpen: at('2026-12-02', '09:15') });
    expect(marketState('NSE_FNO', at('2026-12-01', '15:30'))).toMatchObject({ open: false, reason: 'after_close' });
  });

  it('currency derivatives trade 09:00-17:00 IST', () => {
    expect(marketState('NSE_CURRENCY', at('2026-12-01', '09:00')).open).toBe(true);
    expect(marketState('BSE_CURRENCY', at('2026-12-01', '16:59')).open).toBe(true);
    expect(marketState('NSE_CURRENCY', at('2026-12-01', '17:00')).open).toBe(false);
  });

  it('MCX trades 09:00-23:30 IST in US summer time and until 23:55 in US winter time', () => {
    expect(sessionOn('MCX_COMM', '2026-07-15')).toEqual({ date: '2026-07-15', open: '09:00', close: '23:30' });
    expect(sessionOn('MCX_COMM', '2026-12-01')).toEqual({ date: '2026-12-01', open: '09:00', close: '23:55' });
    // US clocks change on 8 March and 1 November 2026 (Sundays)
    expect(sessionOn('MCX_COMM', '2026-03-06')?.close).toBe('23:55');
    expect(sessionOn('MCX_COMM', '2026-03-09')?.close).toBe('23:30');
    expect(sessionOn('MCX_COMM', '2026-10-30')?.close).toBe('23:30');
    expect(sessionOn('MCX_COMM', '2026-11-02')?.close).toBe('23:55');
    expect(marketState('MCX_COMM', at('2026-07-15', '23:40')).open).toBe(false);
    expect(marketState('MCX_COMM', at('2026-12-01', '23:40')).open).toBe(true);
  });

  it('nothing trades on a weekend; Saturday evening opens next on Monday', () => {
    expect(marketState('NSE_EQ', at('2026-11-28', '10:00'))).toMatchObject({
      open: false,
      reason: 'weekend',
      nextOpen: at('2026-11-30', '09:15'),
    });
    expect(marketState('MCX_COMM', at('2026-11-29', '20:00'))).toMatchObject({
      open: false,
      reason: 'weekend',
      nextOpen: at('2026-11-30', '09:00'),
    });
  });
});

describe('holidays', () => {
  it('close NSE and BSE all day, and the next open skips them (Christmas on a Friday: Monday)', () => {
    expect(marketState('NSE_EQ', at('2026-12-25', '11:00'))).toMatchObject({
      open: false,
      reason: 'holiday',
      holiday: 'Christmas',
      nextOpen: at('2026-12-28', '09:15'),
    });
    expect(nextOpenAfter('BSE_EQ', at('2026-12-24', '16:00'))).toBe(at('2026-12-28', '09:15'));
    // Good Friday, then the weekend
    expect(nextOpenAfter('NSE_FNO', at('2026-04-02', '15:45'))).toBe(at('2026-04-06', '09:15'));
  });

  it('leave MCX its evening session on most exchange holidays, and close it on the national ones', () => {
    expect(sessionOn('MCX_COMM', '2026-03-03')).toEqual({ date: '2026-03-03', open: '17:00', close: '23:55' });
    expect(marketState('MCX_COMM', at('2026-03-03', '10:00'))).toMatchObject({
      open: false,
      reason: 'before_open',
      holiday: 'Holi',
      nextOpen: at('2026-03-03', '17:00'),
    });
    expect(sessionOn('MCX_COMM', '2026-01-26')).toBeNull();
  });

  it('list only weekdays of 2026 and 2027, each once, with 2027 marked provisional', () => {
    const dates = EXCHANGE_HOLIDAYS.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    for (const h of EXCHANGE_HOLIDAYS) {
      expect([1, 2, 3, 4, 5]).toContain(new Date(`${h.date}T00:00:00Z`).getUTCDay());
      expect(h.date.startsWith('2027') ? h.provisional : !h.provisional).toBe(true);
    }
    expect(dates.filter((d) => d.startsWith('2026'))).toHaveLength(16);
    expect(dates.some((d) => d.startsWith('2027'))).toBe(true);
  });
});
