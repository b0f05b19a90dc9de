// Instrument masters (has.instrumentMaster): a plugin downloads its broker's list of contracts as normalized
// instruments, the host stores them (one table for every broker) and asks the plugin which one a TradingView
// ticker means. The plugin owns `raw` (its own row format); the host never reads it.

import { z } from 'zod';
import type { ExchangeSegment } from './enums';
import { exchangeSegmentSchema } from './enums';
import { epochMs, instrumentSchema } from './models';

/** One contract of a broker's master, as the host stores it. Symbols are compared upper-case. */
export const masterInstrumentSchema = instrumentSchema.extend({
  // The broker's id of the contract: with exchangeSegment, the row's key
  securityId: z.string().min(1).max(32),
  // Exchange of the segment (NSE, BSE, MCX)
  exchange: z.string().min(1).max(8),
  // For derivatives: the underlying's symbol (NATURALGAS for NATURALGAS-25JUN2026-FUT)
  underlying: z.string().max(96).optional(),
  // Equity series (EQ, BE ...)
  series: z.string().max(8).optional(),
  strikePrice: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  optionType: z.enum(['CE', 'PE']).optional(),
  // The instant the contract stops trading (epoch ms); `expiry` is its IST date
  expiresAt: epochMs.optional(),
});
export type MasterInstrument = z.infer<typeof masterInstrumentSchema>;

/** What a strategy asks for: a TradingView ticker, its segment, or an explicit contract (securityId). */
export const instrumentLookupSchema = z.object({
  // As TradingView sends it: RELIANCE, NSE:RELIANCE, NATURALGAS1!, CRUDEOIL-18Jun2026-FUT
  symbol: z.string().min(1),
  exchangeSegment: exchangeSegmentSchema.optional(),
  // Override: with exchangeSegment, that exact contract
  securityId: z.string().min(1).optional(),
});
export type InstrumentLookup = z.infer<typeof instrumentLookupSchema>;

/**
 * Rows a resolver asks the host for: any row matching one of the keys (symbols compared upper-case), optionally
 * within one segment. The host answers from its table; the conformance suite from the downloaded list.
 */
export type InstrumentKeys = {
  tradingSymbols?: string[];
  underlyings?: string[];
  securityIds?: string[];
  exchangeSegment?: ExchangeSegment;
};

export type InstrumentResolutionReason = 'unknown_symbol' | 'ambiguous_symbol' | 'expired_contract';

export type InstrumentResolution =
  | { ok: true; instrument: MasterInstrument }
  | { ok: false; reason: InstrumentResolutionReason; message: string; candidates?: string[] };

/** What the host hands to `resolve`: its stored rows and the time the contract must still trade at. */
export type InstrumentStore = {
  find(keys: InstrumentKeys): Promise<MasterInstrument[]>;
  now: number;
};

/**
 * An instrument master, built by `definition.instruments(options)` (has.instrumentMaster).
 *
 * @example
 * instruments: (options) => ({
 *   source: options.instrumentsSource,
 *   refreshCron: options.instrumentsRefreshCron,          // e.g. '0 8 * * *' (IST)
 *   loadOnStart: options.instrumentsOnStart,              // undefined: the host decides (on, off in tests)
 *   download: async ({ fetch, signal }) => parseMyCsv(await (await fetch(options.instrumentsSource, { signal })).text()),
 *   resolve: async (lookup, store) => pickContract(lookup, await store.find({ tradingSymbols: [lookup.symbol] }), store.now),
 * }),
 */
export type InstrumentMaster = {
  /** Where the master comes from (a URL or a file), for logs. */
  source: string;
  /** When the host reloads it: a cron expression in IST. */
  refreshCron: string;
  /** Load at start when the host has none stored; undefined lets the host decide. */
  loadOnStart?: boolean;
  /** Downloads and parses the whole master. Rows the host cannot store (no segment it knows) are left out. */
  download(io: { fetch: typeof fetch; signal: AbortSignal }): Promise<MasterInstrument[]>;
  /** Picks the contract a lookup means, from rows it asks the host for. Never throws for an unknown symbol. */
  resolve(lookup: InstrumentLookup, store: InstrumentStore): Promise<InstrumentResolution>;
};

const upper = (values?: string[]) => new Set((values ?? []).map((v) => v.toUpperCase()));

/**
 * The host's `find`, over a list in memory: rows whose trading symbol, underlying or security id is one of the keys
 * (symbols upper-case), within the segment when one is given. Used by the conformance suite and by plugin tests.
 */
export function findInstruments(rows: readonly MasterInstrument[], keys: InstrumentKeys): MasterInstrument[] {
  const symbols = upper(keys.tradingSymbols);
  const underlyings = upper(keys.underlyings);
  const ids = new Set(keys.securityIds ?? []);
  return rows.filter(
    (r) =>
      (!keys.exchangeSegment || r.exchangeSegment === keys.exchangeSegment) &&
      (symbols.has(r.symbol.toUpperCase()) ||
        (r.underlying !== undefined && underlyings.has(r.underlying.toUpperCase())) ||
        ids.has(r.securityId)),
  );
}

/**
 * TradingView's ticker forms: an exchange prefix (NSE:RELIANCE) and continuous futures (NATURALGAS1! = the nearest
 * contract, 2! the next). `nth` is 0-based; null when the ticker names no continuous contract.
 */
export function parseTradingViewSymbol(symbol: string): { exchange?: string; base: string; nth: number | null } {
  let s = symbol.trim().toUpperCase();
  let exchange: string | undefined;
  const prefixed = s.match(/^([A-Z]+):(.+)$/);
  if (prefixed) {
    exchange = prefixed[1];
    s = prefixed[2];
  }
  const continuous = s.match(/^(.+?)(\d)!$/);
  if (continuous) return { ...(exchange && { exchange }), base: continuous[1], nth: Number(continuous[2]) - 1 };
  return { ...(exchange && { exchange }), base: s, nth: null };
}
