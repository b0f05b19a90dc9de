// Instrument master parsing by column name (compact and detailed headers), and loading from a file or a URL
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { loadScripMaster, parseScripMaster, resolveInstrument } from '../src';
import { FIXTURE_MASTER } from './helpers/dhan-test-kit';

// Rows in the 2026 detailed layout (header order differs, trailing comma, extra columns)
const DETAILED = [
  'EXCH_ID,SEGMENT,SECURITY_ID,ISIN,INSTRUMENT,UNDERLYING_SECURITY_ID,UNDERLYING_SYMBOL,SYMBOL_NAME,DISPLAY_NAME,INSTRUMENT_TYPE,SERIES,LOT_SIZE,SM_EXPIRY_DATE,STRIKE_PRICE,OPTION_TYPE,TICK_SIZE,EXPIRY_FLAG,BRACKET_FLAG,COVER_FLAG,ASM_GSM_FLAG,ASM_GSM_CATEGORY,BUY_SELL_INDICATOR,MTF_LEVERAGE,SM_UPPER_LIMIT,SM_LOWER_LIMIT,SM_FREEZE_QTY,',
  'NSE,I,13,NA,INDEX,13,NIFTY,NIFTY,Nifty 50,INDEX,NA,1.0,0001-01-01,,XX,0.0500,N,N,N,N,NA,A,0,0.0000,0.0000,0,',
  'NSE,E,2885,INE002A01018,EQUITY,,RELIANCE,RELIANCE,Reliance Industries,ES,EQ,1.0,,,,10.0000,NA,Y,Y,N,NA,A,5,3200.0000,2600.0000,0,',
  'NSE,D,62329,NA,FUTIDX,26000,NIFTY,NIFTY-Jun2026-FUT,NIFTY JUN FUT,FUTIDX,NA,75.0,2026-06-30,-0.01000,XX,10.0000,M,N,N,N,NA,A,0,0,0,1800,',
  'MCX,M,504265,NA,FUTCOM,294,NATURALGAS,NATURALGAS-25Jun2026-FUT,NATURALGAS JUN FUT,FUTCOM,NA,1.0,2026-06-25,0.00000,XX,10.0000,M,N,N,N,NA,A,0,0,0,0,',
  'NSE,D,35038,NA,OPTIDX,26000,NIFTY,NIFTY-May2026-30750-CE,NIFTY 26 MAY 30750 CALL,OP,NA,75.0,2026-05-26,30750.00000,CE,5.0000,W,N,N,N,NA,A,0,0,0,1800,',
].join('\n');

describe('parseScripMaster', () => {
  it('should parse the compact fixture by column name with rupee tick sizes and decimal lot sizes', () => {
    const rows = parseScripMaster(readFileSync(FIXTURE_MASTER, 'utf8'));
    expect(rows).toHaveLength(25);
    const rel = rows.find((r) => r.securityId === '2885')!;
    expect(rel).toMatchObject({
      exchange: 'NSE',
      exchangeSegment: 'NSE_EQ',
      instrument: 'EQUITY',
      tradingSymbol: 'RELIANCE',
      series: 'EQ',
      lotSize: '1',
      tickSize: '0.1',
      expiryDate: null,
      optionType: null,
    });
    expect(rows.find((r) => r.securityId === '1333')!.tickSize).toBe('0.05');
    expect(rows.find((r) => r.securityId === '13')!).toMatchObject({
      exchangeSegment: 'IDX_I',
      tickSize: '0.05',
      expiryDate: null,
    });
    const ng = rows.find((r) => r.securityId === '504265')!;
    expect(ng).toMatchObject({
      exchangeSegment: 'MCX_COMM',
      underlyingSymbol: 'NATURALGAS',
      expiryDate: '2026-06-25',
      tickSize: '0.1',
      lotSize: '1',
    });
    expect(ng.expiresAt).toBe(Date.parse('2026-06-25T23:30:00+05:30'));
    const opt = rows.find((r) => r.securityId === '37372')!;
    expect(opt).toMatchObject({
      optionType: 'CE',
      strikePrice: '19600',
      lotSize: '25',
      exchangeSegment: 'NSE_FNO',
      expiryFlag: 'W',
    });
  });

  it('should parse the detailed layout by column name and resolve the same way', () => {
    const rows = parseScripMaster(DETAILED);
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.securityId === '2885')).toMatchObject({
      tradingSymbol: 'RELIANCE',
      isin: 'INE002A01018',
      tickSize: '0.1',
      series: 'EQ',
    });
    expect(rows.find((r) => r.securityId === '62329')).toMatchObject({
      lotSize: '75',
      expiryDate: '2026-06-30',
      underlyingSymbol: 'NIFTY',
    });
    // A date without a time counts until the end of that IST day
    expect(rows.find((r) => r.securityId === '504265')!.expiresAt).toBe(Date.parse('2026-06-25T23:59:59+05:30'));
    const now = Date.parse('2026-06-01T12:00:00+05:30');
    expect(resolveInstrument(rows, { symbol: 'RELIANCE' }, { now }).securityId).toBe('2885');
    expect(resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now }).securityId).toBe('504265');
  });

  it('should fail loudly when a required column is missing', () => {
    expect(() => parseScripMaster('FOO,BAR\n1,2\n')).toThrow(/missing columns/);
  });
});

describe('loadScripMaster', () => {
  it('should load from a file path', async () => {
    expect(await loadScripMaster(FIXTURE_MASTER)).toHaveLength(25);
  });

  it('should load from an http URL', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(DETAILED);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const rows = await loadScripMaster(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api-scrip-master.csv`,
      );
      expect(rows.map((r) => r.securityId)).toEqual(['13', '2885', '62329', '504265', '35038']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
