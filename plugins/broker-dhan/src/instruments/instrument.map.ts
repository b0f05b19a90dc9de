import { EXCHANGE_SEGMENTS } from '@algodatta/broker-sdk';
import type { ExchangeSegment, Instrument, InstrumentType } from '@algodatta/broker-sdk';
import type { ScripRow } from './scrip-master.parse';

const TYPES: Record<string, InstrumentType> = {
  EQUITY: 'EQUITY', INDEX: 'INDEX', FUTIDX: 'FUTURE', FUTSTK: 'FUTURE', FUTCOM: 'FUTURE', FUTCUR: 'FUTURE',
  OPTIDX: 'OPTION', OPTSTK: 'OPTION', OPTFUT: 'OPTION', OPTCUR: 'OPTION',
};

export function isSdkSegment(s: string | null): s is ExchangeSegment {
  return s !== null && (EXCHANGE_SEGMENTS as readonly string[]).includes(s);
}

/** A master row as the SDK's Instrument; null for rows the SDK cannot trade (indices). */
export function rowToInstrument(row: ScripRow): Instrument | null {
  if (!isSdkSegment(row.exchangeSegment)) return null;
  const positive = (v: string) => (Number(v) > 0 ? v : '1');
  const inst: Instrument = {
    symbol: row.tradingSymbol,
    exchangeSegment: row.exchangeSegment,
    securityId: row.securityId,
    lotSize: positive(row.lotSize),
    // Some rows carry tick 0; 0.05 is the common equity tick and only feeds price rounding
    tickSize: Number(row.tickSize) > 0 ? row.tickSize : '0.05',
    instrumentType: TYPES[row.instrument] ?? 'OTHER',
    name: row.displayName || row.underlyingSymbol || row.tradingSymbol,
    raw: row,
  };
  if (row.expiryDate) inst.expiry = row.expiryDate;
  return inst;
}
