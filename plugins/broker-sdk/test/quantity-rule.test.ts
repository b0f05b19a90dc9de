import { checkQuantity, DERIVATIVE_SEGMENTS, LOT_SEGMENTS, quantityUnitFor } from '@algodatta/broker-sdk';

describe('the quantity rule per exchange segment', () => {
  it('should count lots for F&O, MCX and currency, and shares for equity', () => {
    expect(['NSE_FNO', 'BSE_FNO', 'MCX_COMM', 'NSE_CURRENCY', 'BSE_CURRENCY'].map(quantityUnitFor)).toEqual(
      Array(5).fill('lots'),
    );
    expect(['NSE_EQ', 'BSE_EQ'].map(quantityUnitFor)).toEqual(['shares', 'shares']);
    // The lot segments are the derivative segments the plugins check lot multiples in: one list
    expect(DERIVATIVE_SEGMENTS).toBe(LOT_SEGMENTS);
  });

  it.each([
    ['1', 'NSE_EQ', '1'],
    [10, 'NSE_EQ', '10'],
    ['2.0', 'NSE_FNO', '2'],
    [' 007 ', 'MCX_COMM', '7'],
    ['999999999999', 'NSE_EQ', '999999999999'],
  ])('should accept %p for %s as %p', (raw, segment, value) => {
    expect(checkQuantity(raw, segment, 'qty')).toEqual({ ok: true, value });
  });

  it.each([
    ['1.5', 'NSE_EQ', 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
    ['-5', 'NSE_EQ', 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
    ['0', 'BSE_EQ', 'qty must be a whole number of shares (BSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
    ['0.5', 'MCX_COMM', 'qty must be a whole number of lots (MCX_COMM trades in lots), at least 1, e.g. 1 or 2'],
    ['1e3', 'NSE_FNO', 'qty must be a whole number of lots (NSE_FNO trades in lots), at least 1, e.g. 1 or 2'],
    ['1,5', 'NSE_EQ', 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
    [
      '1000000000000',
      'NSE_EQ',
      'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10',
    ],
    ['', 'NSE_EQ', 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
    [null, 'NSE_EQ', 'qty must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10'],
  ])('should refuse %p for %s saying what is allowed', (raw, segment, message) => {
    expect(checkQuantity(raw, segment, 'qty')).toEqual({ ok: false, message });
  });

  it('should take 0 where 0 means none (an EXIT, a flat position), and still refuse fractions there', () => {
    expect(checkQuantity('0', 'NSE_EQ', 'qty', { allowZero: true })).toEqual({ ok: true, value: '0' });
    expect(checkQuantity('0.5', 'NSE_FNO', 'position_size', { allowZero: true })).toEqual({
      ok: false,
      message: 'position_size must be a whole number of lots (NSE_FNO trades in lots), 0 or more, e.g. 1 or 2',
    });
  });
});
