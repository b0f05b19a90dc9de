// EVERY charge rate the paper broker applies, in one place. Rates are fractions of turnover
// (0.0003 = 0.03%). Turnover = quantity x price (options: premium turnover).
//
// Sources and dates (compiled November 2026; re-check when a Finance Act or exchange circular changes them):
// - Brokerage: DhanHQ published pricing (dhan.co/pricing, 2025), the live broker this paper engine mirrors:
//   equity delivery ₹0; intraday, futures (equity, commodity, currency): lower of ₹20 or 0.03% per executed
//   order; options: flat ₹20 per executed order.
// - STT: Finance (No. 2) Act 2024 (from 1 Oct 2024) for equity; Union Budget 2026-27 (Finance Act 2026,
//   trades from 1 Apr 2026): futures 0.05% sell side (was 0.02%), options 0.15% of premium sell side (was 0.1%).
//   Equity delivery 0.1% buy and sell; equity intraday 0.025% sell. Currency derivatives: no STT.
// - CTT (commodity, non-agri): futures 0.01% sell; options 0.05% of premium sell.
// - Exchange transaction charges (NSE circular, from 1 Oct 2024), IPFT folded in:
//   NSE equity 0.00297% + IPFT 0.0001% = 0.00307%; NSE futures 0.00173% + 0.0001% = 0.00183%;
//   NSE options 0.03503% + IPFT 0.0005% = 0.03553% of premium; BSE equity 0.00375%; BSE futures 0;
//   BSE options 0.0325% of premium; MCX futures 0.0021%, MCX options 0.0418% of premium;
//   NSE currency futures 0.00035%, options 0.0311%; BSE currency futures 0.00045%, options 0.001%.
// - SEBI turnover fee: ₹10 per crore = 0.0001% on every segment.
// - Stamp duty (Indian Stamp Act, uniform since 1 Jul 2020), BUY side only: delivery 0.015%, intraday 0.003%,
//   futures 0.002%, options 0.003% of premium, currency 0.0001%.
// - GST: 18% on (brokerage + exchange transaction charges + SEBI fee).
// Clearing charges (DhanHQ charges none) and DP charges on delivery sells (per scrip per day, not per trade) are
// not modelled.
//
// Rounding rule: each line is computed at full precision and rounded to paise (2 dp, half-up) on its own;
// GST is 18% of the sum of the ROUNDED brokerage, exchange and SEBI lines, then rounded to paise; the total is
// the sum of the rounded lines. Brokerage is charged per order: paper fills each order in one fill.

export type ChargeCategory =
  | 'EQUITY_DELIVERY'
  | 'EQUITY_INTRADAY'
  | 'EQUITY_FUTURES'
  | 'EQUITY_OPTIONS'
  | 'COMMODITY_FUTURES'
  | 'COMMODITY_OPTIONS'
  | 'CURRENCY_FUTURES'
  | 'CURRENCY_OPTIONS';

export type BrokerageRule = { flat: string; pctCap?: string };

export type ChargeRates = {
  brokerage: BrokerageRule; // min(flat, pctCap x turnover) when pctCap is set, else flat
  sttBuy: string; // STT or CTT on the buy side
  sttSell: string;
  exchange: Record<'NSE' | 'BSE' | 'MCX', string>;
  sebi: string;
  stampBuy: string;
};

const SEBI = '0.000001';
const pctOrFlat20: BrokerageRule = { flat: '20', pctCap: '0.0003' };
const flat20: BrokerageRule = { flat: '20' };

export const CHARGE_RATES: Record<ChargeCategory, ChargeRates> = {
  EQUITY_DELIVERY: {
    brokerage: { flat: '0' },
    sttBuy: '0.001',
    sttSell: '0.001',
    exchange: { NSE: '0.0000307', BSE: '0.0000375', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.00015',
  },
  EQUITY_INTRADAY: {
    brokerage: pctOrFlat20,
    sttBuy: '0',
    sttSell: '0.00025',
    exchange: { NSE: '0.0000307', BSE: '0.0000375', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.00003',
  },
  EQUITY_FUTURES: {
    brokerage: pctOrFlat20,
    sttBuy: '0',
    sttSell: '0.0005',
    exchange: { NSE: '0.0000183', BSE: '0', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.00002',
  },
  EQUITY_OPTIONS: {
    brokerage: flat20,
    sttBuy: '0',
    sttSell: '0.0015',
    exchange: { NSE: '0.0003553', BSE: '0.000325', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.00003',
  },
  COMMODITY_FUTURES: {
    brokerage: pctOrFlat20,
    sttBuy: '0',
    sttSell: '0.0001',
    exchange: { NSE: '0', BSE: '0', MCX: '0.000021' },
    sebi: SEBI,
    stampBuy: '0.00002',
  },
  COMMODITY_OPTIONS: {
    brokerage: flat20,
    sttBuy: '0',
    sttSell: '0.0005',
    exchange: { NSE: '0', BSE: '0', MCX: '0.000418' },
    sebi: SEBI,
    stampBuy: '0.00003',
  },
  CURRENCY_FUTURES: {
    brokerage: pctOrFlat20,
    sttBuy: '0',
    sttSell: '0',
    exchange: { NSE: '0.0000035', BSE: '0.0000045', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.000001',
  },
  CURRENCY_OPTIONS: {
    brokerage: flat20,
    sttBuy: '0',
    sttSell: '0',
    exchange: { NSE: '0.000311', BSE: '0.00001', MCX: '0' },
    sebi: SEBI,
    stampBuy: '0.000001',
  },
};

export const GST_RATE = '0.18';
