// Hand-computed charge lines (rates: src/charges.config.ts). Rule: each line rounded to paise half-up,
// GST = 18% of the rounded brokerage + exchange + SEBI lines, total = sum of rounded lines.

import { computeCharges, type ChargeBreakdown } from '../src';
import { isOption } from '../src/charges.calc';
import { D } from '../src/decimal';

const charges = (
  segment: Parameters<typeof computeCharges>[0]['segment'],
  product: 'INTRADAY' | 'CNC' | 'MARGIN',
  side: 'BUY' | 'SELL',
  qty: string,
  price: string,
  option = false,
): ChargeBreakdown => computeCharges({ segment, product, side, quantity: new D(qty), price: new D(price), option });

describe('charges by segment and product', () => {
  it('NSE equity intraday buy 10 @ 100: 0.03% brokerage under the ₹20 cap, stamp on the buy side, no STT', () => {
    // turnover 1000: brokerage 0.30, STT 0, exchange 1000 x 0.00307% = 0.0307 -> 0.03, SEBI 0.001 -> 0.00,
    // stamp 1000 x 0.003% = 0.03, GST 18% x (0.30 + 0.03 + 0.00) = 0.0594 -> 0.06, total 0.42
    expect(charges('NSE_EQ', 'INTRADAY', 'BUY', '10', '100')).toEqual({
      brokerage: '0.30',
      stt: '0.00',
      exchange: '0.03',
      sebi: '0.00',
      stampDuty: '0.03',
      gst: '0.06',
      total: '0.42',
    });
  });

  it('NSE equity intraday sell 10 @ 105: brokerage 0.315 rounds half-up to 0.32, STT 0.025% on the sell side', () => {
    // turnover 1050: brokerage 0.315 -> 0.32, STT 0.2625 -> 0.26, exchange 0.032235 -> 0.03, SEBI 0.00105 -> 0.00,
    // stamp 0 (sell), GST 18% x 0.35 = 0.063 -> 0.06, total 0.67
    expect(charges('NSE_EQ', 'INTRADAY', 'SELL', '10', '105')).toEqual({
      brokerage: '0.32',
      stt: '0.26',
      exchange: '0.03',
      sebi: '0.00',
      stampDuty: '0.00',
      gst: '0.06',
      total: '0.67',
    });
  });

  it('NSE equity intraday caps brokerage at ₹20 on a large order', () => {
    // turnover 1,000,000 x 0.03% = 300 > 20
    expect(charges('NSE_EQ', 'INTRADAY', 'BUY', '1000', '1000').brokerage).toBe('20.00');
  });

  it('NSE equity delivery buy 100 @ 2500: zero brokerage, STT 0.1% both sides, stamp 0.015%', () => {
    // turnover 250000: STT 250.00, exchange 7.675 -> 7.68, SEBI 0.25, stamp 37.50, GST 18% x 7.93 = 1.4274 -> 1.43
    expect(charges('NSE_EQ', 'CNC', 'BUY', '100', '2500')).toEqual({
      brokerage: '0.00',
      stt: '250.00',
      exchange: '7.68',
      sebi: '0.25',
      stampDuty: '37.50',
      gst: '1.43',
      total: '296.86',
    });
  });

  it('BSE equity delivery sell uses the BSE exchange rate 0.00375% and no stamp duty', () => {
    // turnover 250000: STT 250.00, exchange 9.375 -> 9.38, SEBI 0.25, GST 18% x 9.63 = 1.7334 -> 1.73
    expect(charges('BSE_EQ', 'CNC', 'SELL', '100', '2500')).toEqual({
      brokerage: '0.00',
      stt: '250.00',
      exchange: '9.38',
      sebi: '0.25',
      stampDuty: '0.00',
      gst: '1.73',
      total: '261.36',
    });
  });

  it('NSE index futures round trip (1 lot of 75): STT 0.05% on the sell side (Budget 2026 rate)', () => {
    // buy 75 @ 24000, turnover 1,800,000: brokerage 20, exchange 0.00183% = 32.94, SEBI 1.80, stamp 0.002% = 36.00,
    // GST 18% x 54.74 = 9.8532 -> 9.85, total 100.59
    expect(charges('NSE_FNO', 'MARGIN', 'BUY', '75', '24000')).toEqual({
      brokerage: '20.00',
      stt: '0.00',
      exchange: '32.94',
      sebi: '1.80',
      stampDuty: '36.00',
      gst: '9.85',
      total: '100.59',
    });
    // sell 75 @ 24100, turnover 1,807,500: STT 903.75, exchange 33.07725 -> 33.08, SEBI 1.8075 -> 1.81,
    // GST 18% x 54.89 = 9.8802 -> 9.88, total 968.52
    expect(charges('NSE_FNO', 'MARGIN', 'SELL', '75', '24100')).toEqual({
      brokerage: '20.00',
      stt: '903.75',
      exchange: '33.08',
      sebi: '1.81',
      stampDuty: '0.00',
      gst: '9.88',
      total: '968.52',
    });
  });

  it('NSE index options sell 75 @ 120: flat ₹20, STT 0.15% of premium, exchange 0.03553%', () => {
    // premium turnover 9000: STT 13.50, exchange 3.1977 -> 3.20, SEBI 0.009 -> 0.01, GST 18% x 23.21 = 4.1778 -> 4.18
    expect(charges('NSE_FNO', 'INTRADAY', 'SELL', '75', '120', true)).toEqual({
      brokerage: '20.00',
      stt: '13.50',
      exchange: '3.20',
      sebi: '0.01',
      stampDuty: '0.00',
      gst: '4.18',
      total: '40.89',
    });
  });

  it('MCX crude futures sell 100 @ 6000: CTT 0.01%, MCX 0.0021%', () => {
    // turnover 600000: CTT 60.00, exchange 12.60, SEBI 0.60, GST 18% x 33.20 = 5.976 -> 5.98, total 99.18
    expect(charges('MCX_COMM', 'INTRADAY', 'SELL', '100', '6000')).toEqual({
      brokerage: '20.00',
      stt: '60.00',
      exchange: '12.60',
      sebi: '0.60',
      stampDuty: '0.00',
      gst: '5.98',
      total: '99.18',
    });
  });

  it('tells options from futures by instrument type, else by the CE/PE suffix', () => {
    expect(isOption('NIFTY-Dec2026-24000-CE')).toBe(true);
    expect(isOption('BANKNIFTY26DEC52000PE')).toBe(true);
    expect(isOption('NIFTY-Dec2026-FUT')).toBe(false);
    expect(isOption('RELIANCE', 'OPTION')).toBe(true);
  });
});
