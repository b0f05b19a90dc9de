// Symbol resolution against the instrument-master fixture with fixed "now"s
import { readFileSync } from 'node:fs';
import { InvalidOrderError } from '@algodatta/broker-sdk';
import { InstrumentResolutionError, parseScripMaster, resolveInstrument } from '../src';
import type { ScripRow } from '../src';
import { FIXTURE_MASTER } from './helpers/dhan-test-kit';

const rows: ScripRow[] = parseScripMaster(readFileSync(FIXTURE_MASTER, 'utf8'));
// Midday IST on the given date
const ist = (d: string) => Date.parse(`${d}T12:00:00+05:30`);

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InstrumentResolutionError);
    expect(e).toBeInstanceOf(InvalidOrderError);
    return (e as InstrumentResolutionError).reason;
  }
  throw new Error('expected a rejection');
}

describe('resolveInstrument', () => {
  it('should resolve NATURALGAS to the June contract 504265 on 2026-06-01', () => {
    const r = resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: ist('2026-06-01') });
    expect(r).toMatchObject({
      securityId: '504265',
      exchangeSegment: 'MCX_COMM',
      tradingSymbol: 'NATURALGAS-25Jun2026-FUT',
      expiryDate: '2026-06-25',
    });
  });

  it('should roll NATURALGAS to the July contract 900001 on 2026-06-26', () => {
    expect(resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: ist('2026-06-26') }).securityId).toBe('900001');
  });

  it('should keep the June contract until its 23:30 IST expiry on the expiry day', () => {
    expect(
      resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: Date.parse('2026-06-25T23:00:00+05:30') }).securityId,
    ).toBe('504265');
    expect(
      resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: Date.parse('2026-06-25T23:31:00+05:30') }).securityId,
    ).toBe('900001');
  });

  it('should never pick NATGASMINI for NATURALGAS on any date', () => {
    for (const d of ['2026-05-01', '2026-06-01', '2026-06-25', '2026-06-26', '2026-08-01']) {
      expect(resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: ist(d) }).tradingSymbol).toMatch(/^NATURALGAS-/);
    }
    expect(resolveInstrument(rows, { symbol: 'NATGASMINI' }, { now: ist('2026-06-01') }).securityId).toBe('900003');
  });

  it('should resolve TradingView continuous symbols MCX:NATURALGAS1! and NATURALGAS2!', () => {
    expect(resolveInstrument(rows, { symbol: 'MCX:NATURALGAS1!' }, { now: ist('2026-06-01') }).securityId).toBe(
      '504265',
    );
    expect(resolveInstrument(rows, { symbol: 'NATURALGAS2!' }, { now: ist('2026-06-01') }).securityId).toBe('900001');
  });

  it('should resolve RELIANCE to 2885 NSE_EQ (the EQ share) with lot 1 and tick 0.1 rupees', () => {
    const r = resolveInstrument(rows, { symbol: 'RELIANCE' }, { now: ist('2026-06-01') });
    expect(r).toMatchObject({ securityId: '2885', exchangeSegment: 'NSE_EQ', lotSize: '1', tickSize: '0.1' });
    expect(r.row.series).toBe('EQ');
  });

  it('should resolve BSE RELIANCE only when BSE is asked for', () => {
    expect(
      resolveInstrument(rows, { symbol: 'RELIANCE', exchange: 'BSE' }, { now: ist('2026-06-01') }).securityId,
    ).toBe('500325');
    expect(resolveInstrument(rows, { symbol: 'BSE:RELIANCE' }, { now: ist('2026-06-01') }).exchangeSegment).toBe(
      'BSE_EQ',
    );
  });

  it('should never resolve a warrant series row by symbol', () => {
    const warrant: ScripRow = {
      ...rows.find((r) => r.securityId === '2885')!,
      securityId: '777777',
      tradingSymbol: 'RELWARR',
      series: 'W1',
    };
    expect(reason(() => resolveInstrument([...rows, warrant], { symbol: 'RELWARR' }, { now: ist('2026-06-01') }))).toBe(
      'unknown_symbol',
    );
    // And a warrant next to the share never displaces it
    const sameName = { ...warrant, tradingSymbol: 'RELIANCE' };
    expect(resolveInstrument([sameName, ...rows], { symbol: 'RELIANCE' }, { now: ist('2026-06-01') }).securityId).toBe(
      '2885',
    );
  });

  it('should resolve an explicit contract by trading symbol', () => {
    const r = resolveInstrument(rows, { symbol: 'CRUDEOIL-18Jun2026-FUT' }, { now: ist('2026-06-01') });
    expect(r).toMatchObject({ securityId: '499095', exchangeSegment: 'MCX_COMM', tickSize: '1', lotSize: '1' });
    expect(resolveInstrument(rows, { symbol: 'NIFTY-Jul2026-FUT' }, { now: ist('2026-06-01') })).toMatchObject({
      securityId: '61093',
      lotSize: '75',
      tickSize: '0.1',
    });
  });

  it('should reject an explicit contract after its expiry', () => {
    expect(
      reason(() => resolveInstrument(rows, { symbol: 'CRUDEOIL-18Jun2026-FUT' }, { now: ist('2026-06-19') })),
    ).toBe('expired_contract');
  });

  it('should resolve NIFTY (an index, not tradable) to its nearest future', () => {
    expect(resolveInstrument(rows, { symbol: 'NIFTY' }, { now: ist('2026-06-01') }).securityId).toBe('62329');
    expect(resolveInstrument(rows, { symbol: 'NIFTY' }, { now: ist('2026-07-01') }).securityId).toBe('61093');
  });

  it('should reject an unknown symbol with unknown_symbol', () => {
    expect(reason(() => resolveInstrument(rows, { symbol: 'NOSUCHCO' }, { now: ist('2026-06-01') }))).toBe(
      'unknown_symbol',
    );
    expect(reason(() => resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: ist('2026-09-01') }))).toBe(
      'unknown_symbol',
    );
  });

  it('should reject an ambiguous symbol with ambiguous_symbol', () => {
    const twin: ScripRow = {
      ...rows.find((r) => r.securityId === '504265')!,
      securityId: '888888',
      exchange: 'NSE',
      exchangeSegment: 'NSE_FNO',
    };
    const e = (() => {
      try {
        resolveInstrument([...rows, twin], { symbol: 'NATURALGAS-25Jun2026-FUT' }, { now: ist('2026-06-01') });
      } catch (x) {
        return x as InstrumentResolutionError;
      }
      return null;
    })();
    expect(e?.reason).toBe('ambiguous_symbol');
    expect(e?.candidates).toHaveLength(2);
    expect(e?.brokerCode).toBe('ambiguous_symbol');
  });

  it('should honour an override by securityId and segment', () => {
    expect(
      resolveInstrument(
        rows,
        { symbol: 'ignored', securityId: '900002', exchangeSegment: 'MCX_COMM' },
        { now: ist('2026-06-01') },
      ).tradingSymbol,
    ).toBe('NATURALGAS-26Aug2026-FUT');
    expect(
      reason(() =>
        resolveInstrument(
          rows,
          { symbol: 'x', securityId: '13', exchangeSegment: 'IDX_I' },
          { now: ist('2026-06-01') },
        ),
      ),
    ).toBe('unknown_symbol');
  });
});
