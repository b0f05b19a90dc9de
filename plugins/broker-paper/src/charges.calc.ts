// Charges of one fill, line by line (rates and the rounding rule: charges.config.ts)

import type { ExchangeSegment, InstrumentType, Product, Side } from '@algodatta/broker-sdk';
import type { ChargeCategory } from './charges.config';
import { CHARGE_RATES, GST_RATE } from './charges.config';
import type { Dec } from './decimal';
import { D, paise } from './decimal';

export type ChargeBreakdown = {
  brokerage: string;
  stt: string; // STT, or CTT on MCX
  exchange: string;
  sebi: string;
  stampDuty: string;
  gst: string;
  total: string;
};

const OPTION_SYMBOL_RE = /[-\s](CE|PE)$|\d(CE|PE)$/i;

/** Futures vs options: the instrument's type when known, else the symbol's CE/PE suffix. */
export function isOption(symbol: string, instrumentType?: InstrumentType): boolean {
  if (instrumentType) return instrumentType === 'OPTION';
  return OPTION_SYMBOL_RE.test(symbol.trim());
}

export function chargeCategory(segment: ExchangeSegment, product: Product, option: boolean): ChargeCategory {
  switch (segment) {
    case 'NSE_EQ':
    case 'BSE_EQ':
      // CNC and MTF are delivery; INTRADAY (and MARGIN, which equity does not use) are intraday
      return product === 'CNC' || product === 'MTF' ? 'EQUITY_DELIVERY' : 'EQUITY_INTRADAY';
    case 'NSE_FNO':
    case 'BSE_FNO':
      return option ? 'EQUITY_OPTIONS' : 'EQUITY_FUTURES';
    case 'MCX_COMM':
      return option ? 'COMMODITY_OPTIONS' : 'COMMODITY_FUTURES';
    case 'NSE_CURRENCY':
    case 'BSE_CURRENCY':
      return option ? 'CURRENCY_OPTIONS' : 'CURRENCY_FUTURES';
  }
}

function exchangeOf(segment: ExchangeSegment): 'NSE' | 'BSE' | 'MCX' {
  return segment.startsWith('NSE') ? 'NSE' : segment.startsWith('BSE') ? 'BSE' : 'MCX';
}

export type ChargeInput = {
  segment: ExchangeSegment;
  product: Product;
  side: Side;
  quantity: Dec;
  price: Dec;
  option: boolean;
};

export function computeCharges(input: ChargeInput): ChargeBreakdown {
  const rates = CHARGE_RATES[chargeCategory(input.segment, input.product, input.option)];
  const turnover = input.quantity.mul(input.price);
  const buy = input.side === 'BUY';

  const pct = rates.brokerage.pctCap ? turnover.mul(rates.brokerage.pctCap) : null;
  const brokerage = paise(pct ? D.min(new D(rates.brokerage.flat), pct) : new D(rates.brokerage.flat));
  const stt = paise(turnover.mul(buy ? rates.sttBuy : rates.sttSell));
  const exchange = paise(turnover.mul(rates.exchange[exchangeOf(input.segment)]));
  const sebi = paise(turnover.mul(rates.sebi));
  const stampDuty = paise(buy ? turnover.mul(rates.stampBuy) : new D(0));
  const gst = paise(brokerage.plus(exchange).plus(sebi).mul(GST_RATE));
  const total = brokerage.plus(stt).plus(exchange).plus(sebi).plus(stampDuty).plus(gst);
  const f = (v: Dec) => v.toFixed(2);
  return {
    brokerage: f(brokerage),
    stt: f(stt),
    exchange: f(exchange),
    sebi: f(sebi),
    stampDuty: f(stampDuty),
    gst: f(gst),
    total: f(total),
  };
}
