import { EXCHANGE_SEGMENTS } from '@algodatta/broker-sdk';
import type { ExchangeSegment, Instrument, InstrumentType, MasterInstrument } from '@algodatta/broker-sdk';
import type { ScripRow } from './scrip-master.parse';

const TYPES: Record<string, InstrumentType> = {
  EQUITY: 'EQUITY',
  INDEX: 'INDEX',
  FUTIDX: 'FUTURE',
  FUTSTK: 'FUTURE',
  FUTCOM: 'FUTURE',
  FUTCUR: 'FUTURE',
  OPTIDX: 'OPTION',
  OPTSTK: 'OPTION',
  OPTFUT: 'OPTION',
  OPTCUR: 'OPTION',
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

/** A master row as the host stores it (has.instrumentMaster); null for rows the SDK cannot trade (indices). */
export function rowToMaster(row: ScripRow): MasterInstrument | null {
  const inst = rowToInstrument(row);
  if (!inst) return null;
  const master: MasterInstrument = { ...inst, securityId: row.securityId, exchange: row.exchange, raw: row };
  if (row.underlyingSymbol) master.underlying = row.underlyingSymbol.slice(0, 96);
  if (row.series) master.series = row.series.slice(0, 8);
  if (row.strikePrice !== null) master.strikePrice = row.strikePrice;
  if (row.optionType !== null) master.optionType = row.optionType;
  if (row.expiresAt !== null) master.expiresAt = row.expiresAt;
  return master;
}
