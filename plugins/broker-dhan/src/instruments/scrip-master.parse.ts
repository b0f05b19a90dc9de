// DhanHQ instrument master (api-scrip-master.csv, compact or detailed), parsed BY COLUMN NAME: the detailed
// file's columns change over time. Rows come out clean: decimal strings in rupees, expiry as epoch ms.
import Decimal from 'decimal.js';
import { parse } from 'csv-parse/sync';
import type { DhanSegment } from '../dhan/dhan.types';

export type ScripRow = {
  exchange: string; // NSE | BSE | MCX
  segmentCode: string; // E equity, D derivatives, C currency, M commodity, I index
  exchangeSegment: DhanSegment | null;
  securityId: string;
  instrument: string; // EQUITY, INDEX, FUTIDX, OPTIDX, FUTSTK, OPTSTK, FUTCOM, OPTFUT, FUTCUR, OPTCUR
  tradingSymbol: string; // RELIANCE, NIFTY-Jun2026-FUT, CRUDEOIL-18Jun2026-FUT
  underlyingSymbol: string; // NATURALGAS for its futures (compact SM_SYMBOL_NAME holds the company name for equities)
  displayName: string;
  series: string; // EQ, BE, A, ... (empty for derivatives)
  isin: string | null;
  lotSize: string; // units per lot, decimal string
  tickSize: string; // rupees, decimal string
  expiryDate: string | null; // IST date YYYY-MM-DD
  expiresAt: number | null; // epoch ms (the master's time, or the end of the IST day when it gives none)
  strikePrice: string | null;
  optionType: 'CE' | 'PE' | null;
  expiryFlag: string | null; // M monthly, W weekly
};

type Columns = Record<keyof Omit<ScripRow, 'exchangeSegment' | 'expiresAt' | 'expiryDate'> | 'expiry', string[]>;

// First listed name present wins: compact names, then detailed ones
const COLUMNS: Columns = {
  exchange: ['SEM_EXM_EXCH_ID', 'EXCH_ID'],
  segmentCode: ['SEM_SEGMENT', 'SEGMENT'],
  securityId: ['SEM_SMST_SECURITY_ID', 'SECURITY_ID'],
  instrument: ['SEM_INSTRUMENT_NAME', 'INSTRUMENT'],
  tradingSymbol: ['SEM_TRADING_SYMBOL', 'SYMBOL_NAME'],
  underlyingSymbol: ['SM_SYMBOL_NAME', 'UNDERLYING_SYMBOL'],
  displayName: ['SEM_CUSTOM_SYMBOL', 'DISPLAY_NAME'],
  series: ['SEM_SERIES', 'SERIES'],
  isin: ['ISIN'],
  lotSize: ['SEM_LOT_UNITS', 'LOT_SIZE'],
  tickSize: ['SEM_TICK_SIZE', 'TICK_SIZE'],
  expiry: ['SEM_EXPIRY_DATE', 'SM_EXPIRY_DATE'],
  strikePrice: ['SEM_STRIKE_PRICE', 'STRIKE_PRICE'],
  optionType: ['SEM_OPTION_TYPE', 'OPTION_TYPE'],
  expiryFlag: ['SEM_EXPIRY_FLAG', 'EXPIRY_FLAG'],
};
const REQUIRED: (keyof Columns)[] = [
  'exchange',
  'segmentCode',
  'securityId',
  'instrument',
  'tradingSymbol',
  'lotSize',
  'tickSize',
];

const SEGMENTS: Record<string, DhanSegment> = {
  'NSE|E': 'NSE_EQ',
  'NSE|D': 'NSE_FNO',
  'NSE|C': 'NSE_CURRENCY',
  'NSE|I': 'IDX_I',
  'BSE|E': 'BSE_EQ',
  'BSE|D': 'BSE_FNO',
  'BSE|C': 'BSE_CURRENCY',
  'BSE|I': 'IDX_I',
  'MCX|M': 'MCX_COMM',
  'MCX|D': 'MCX_COMM',
};

const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

function decimalOr(v: string, fallback: string): string {
  return /^-?\d+(\.\d+)?$/.test(v) ? new Decimal(v).toFixed() : fallback;
}

function parseExpiry(v: string): { expiryDate: string | null; expiresAt: number | null } {
  const m = v.match(/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/);
  if (!m || Number(m[1]) < 1971) return { expiryDate: null, expiresAt: null };
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const local =
    m[4] !== undefined
      ? Date.UTC(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
      : Date.UTC(y, mo, d, 23, 59, 59);
  return { expiryDate: `${m[1]}-${m[2]}-${m[3]}`, expiresAt: local - IST_OFFSET_MS };
}

// The compact master gives tradables' tick size in paise (RELIANCE 10 = Rs 0.10, CRUDEOIL 100 = Rs 1) and
// indices' in rupees (0.05); inferred from the data, see docs
function tickToRupees(raw: string, instrument: string): string {
  const v = decimalOr(raw, '0');
  if (instrument === 'INDEX') return v;
  return new Decimal(v).div(100).toFixed();
}

export function parseScripMaster(csvText: string): ScripRow[] {
  const records = parse<Record<string, string>>(csvText, {
    columns: (header: string[]) => header.map((h) => h.trim().replace(/^\uFEFF/, '') || false),
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    bom: true,
  });
  if (!records.length) return [];
  const names = new Set(Object.keys(records[0]));
  const pick = {} as Record<keyof Columns, string | undefined>;
  for (const [field, candidates] of Object.entries(COLUMNS) as [keyof Columns, string[]][]) {
    pick[field] = candidates.find((c) => names.has(c));
  }
  const missing = REQUIRED.filter((f) => !pick[f]);
  if (missing.length) throw new Error(`instrument master: missing columns for ${missing.join(', ')}`);
  const get = (r: Record<string, string>, f: keyof Columns) => {
    const col = pick[f];
    return col ? (r[col] ?? '').trim() : '';
  };
  const rows: ScripRow[] = [];
  for (const r of records) {
    const securityId = get(r, 'securityId');
    if (!/^\d+$/.test(securityId)) continue;
    const exchange = get(r, 'exchange').toUpperCase();
    const segmentCode = get(r, 'segmentCode').toUpperCase();
    const instrument = get(r, 'instrument').toUpperCase();
    const opt = get(r, 'optionType').toUpperCase();
    const strike = get(r, 'strikePrice');
    const isOption = opt === 'CE' || opt === 'PE';
    const isin = get(r, 'isin');
    const flag = get(r, 'expiryFlag');
    rows.push({
      exchange,
      segmentCode,
      exchangeSegment: SEGMENTS[`${exchange}|${segmentCode}`] ?? null,
      securityId,
      instrument,
      tradingSymbol: get(r, 'tradingSymbol'),
      underlyingSymbol: get(r, 'underlyingSymbol'),
      displayName: get(r, 'displayName'),
      series: get(r, 'series').toUpperCase() === 'NA' ? '' : get(r, 'series').toUpperCase(),
      isin: isin && isin !== 'NA' ? isin : null,
      lotSize: decimalOr(get(r, 'lotSize'), '1'),
      tickSize: tickToRupees(get(r, 'tickSize'), instrument),
      ...parseExpiry(get(r, 'expiry')),
      strikePrice: isOption && /^\d+(\.\d+)?$/.test(strike) ? new Decimal(strike).toFixed() : null,
      optionType: isOption ? (opt as 'CE' | 'PE') : null,
      expiryFlag: flag && flag !== 'NA' ? flag : null,
    });
  }
  return rows;
}
