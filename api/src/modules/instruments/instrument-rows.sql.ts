import Decimal from 'decimal.js';
import {
  EXCHANGE_SEGMENTS,
  INSTRUMENT_TYPES,
  istDate,
  type ExchangeSegment,
  type InstrumentKeys,
  type InstrumentType,
  type MasterInstrument,
} from '@algodatta/broker-sdk';
import type { Sql } from '../../db/sql';

// The instruments table in SDK terms: MasterInstrument in (a plugin's download), MasterInstrument out (a plugin's
// resolver asking for rows). Symbols are stored and compared upper-case.

type Row = {
  security_id: string;
  exchange_segment: string;
  exchange: string;
  trading_symbol: string;
  underlying: string | null;
  instrument_type: string;
  series: string | null;
  lot_size: string;
  tick_size: string;
  expiry: Date | null;
  strike_price: string | null;
  option_type: string | null;
  raw: unknown;
};

const FIND_SQL = `select security_id, exchange_segment, exchange, trading_symbol, underlying, instrument_type, series, lot_size, tick_size, expiry,
    strike_price, option_type, raw
  from instruments where broker = ? and (trading_symbol = any(?::text[]) or underlying = any(?::text[]) or security_id = any(?::text[]))`;

const plain = (v: string) => new Decimal(v).toFixed();
const isSegment = (s: string): s is ExchangeSegment => (EXCHANGE_SEGMENTS as readonly string[]).includes(s);
const isType = (s: string): s is InstrumentType => (INSTRUMENT_TYPES as readonly string[]).includes(s);

function toMaster(r: Row): MasterInstrument | null {
  if (!isSegment(r.exchange_segment)) return null;
  const m: MasterInstrument = {
    symbol: r.trading_symbol,
    exchangeSegment: r.exchange_segment,
    securityId: r.security_id,
    exchange: r.exchange,
    lotSize: plain(r.lot_size),
    tickSize: plain(r.tick_size),
    raw: r.raw,
  };
  if (isType(r.instrument_type)) m.instrumentType = r.instrument_type;
  if (r.underlying) m.underlying = r.underlying;
  if (r.series) m.series = r.series;
  if (r.strike_price !== null) m.strikePrice = plain(r.strike_price);
  if (r.option_type === 'CE' || r.option_type === 'PE') m.optionType = r.option_type;
  if (r.expiry) {
    m.expiresAt = r.expiry.getTime();
    m.expiry = istDate(m.expiresAt);
  }
  return m;
}

/** A plugin resolver's `find`: the broker's rows matching any key, within a segment when one is given. */
export async function findInstruments(sql: Sql, broker: string, keys: InstrumentKeys): Promise<MasterInstrument[]> {
  const upper = (v?: string[]) => (v ?? []).map((s) => s.toUpperCase());
  const rows = await sql.query<Row>(FIND_SQL, [
    broker,
    upper(keys.tradingSymbols),
    upper(keys.underlyings),
    keys.securityIds ?? [],
  ]);
  return rows.flatMap((r) => {
    const m = toMaster(r);
    return m && (!keys.exchangeSegment || m.exchangeSegment === keys.exchangeSegment) ? [m] : [];
  });
}

// One statement per batch: array parameters unnested into rows (far cheaper to send and plan than thousands of
// scalar parameters)
export const INSERT_BATCH_SQL = `insert into instruments (id, created_at, updated_at, broker, security_id, exchange_segment, exchange, trading_symbol, underlying,
    instrument_type, series, lot_size, tick_size, expiry, strike_price, option_type, raw)
  select gen_random_uuid(), now(), now(), $1::text, u.* from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::numeric[], $10::numeric[], $11::timestamptz[], $12::numeric[], $13::text[], $14::jsonb[]) as u
  on conflict do nothing`;

/** The parameters of INSERT_BATCH_SQL for one batch of a broker's instruments. */
export function insertBatchParams(broker: string, rows: readonly MasterInstrument[]): unknown[] {
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const r of rows) {
    const v = [
      r.securityId,
      r.exchangeSegment,
      r.exchange.slice(0, 8),
      r.symbol.toUpperCase().slice(0, 96),
      r.underlying ? r.underlying.toUpperCase().slice(0, 96) : null,
      (r.instrumentType ?? 'OTHER').slice(0, 16),
      r.series ? r.series.slice(0, 8) : null,
      r.lotSize,
      r.tickSize,
      r.expiresAt === undefined ? null : new Date(r.expiresAt).toISOString(),
      r.strikePrice ?? null,
      r.optionType ?? null,
      r.raw === undefined ? null : JSON.stringify(r.raw),
    ];
    v.forEach((x, i) => cols[i].push(x));
  }
  return [broker, ...cols];
}
