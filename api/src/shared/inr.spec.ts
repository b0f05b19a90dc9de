import { formatInr, formatPnl, formatQty } from './inr';

describe('INR formatting', () => {
  it('should group rupees the Indian way with two decimals, exactly', () => {
    expect(formatInr('123456.78')).toBe('₹1,23,456.78');
    expect(formatInr('10000000')).toBe('₹1,00,00,000.00');
    expect(formatInr('999.999')).toBe('₹1,000.00');
    expect(formatInr('0.005')).toBe('₹0.01');
    expect(formatInr('-1234.5')).toBe('-₹1,234.50');
    expect(formatInr('-0.001')).toBe('₹0.00');
    // Beyond a double's precision: still exact
    expect(formatInr('12345678901234567.89')).toBe('₹12,34,56,78,90,12,34,567.89');
  });

  it('should sign P&L and trim quantities', () => {
    expect(formatPnl('120')).toBe('+₹120.00');
    expect(formatPnl('-45.1')).toBe('-₹45.10');
    expect(formatPnl('0')).toBe('₹0.00');
    expect(formatQty('10.0000')).toBe('10');
    expect(formatQty('2.5000')).toBe('2.5');
    expect(formatQty('-1500')).toBe('-1,500');
  });
});
