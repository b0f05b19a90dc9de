// has.instrumentMaster: the DhanHQ master for the host to store (one row per segment and security id) and the
// ticker resolution it asks for. The host keeps the rows; resolution reads each row's ScripRow back from `raw`.
import type {
  InstrumentLookup,
  InstrumentMaster,
  InstrumentResolution,
  InstrumentStore,
  MasterInstrument,
} from '@algodatta/broker-sdk';
import type { DhanOptions } from '../options';
import { InstrumentResolutionError, resolveInstrument } from './instrument.resolve';
import { rowToMaster } from './instrument.map';
import { loadScripMaster } from './scrip-master.load';
import type { ScripRow } from './scrip-master.parse';

/** The master's rows the host can store: tradable segments, the last of any repeated (segment, security id). */
export function masterRows(rows: readonly ScripRow[]): MasterInstrument[] {
  const unique = new Map<string, MasterInstrument>();
  for (const row of rows) {
    const master = rowToMaster(row);
    if (master) unique.set(`${master.exchangeSegment}|${master.securityId}`, master);
  }
  return [...unique.values()];
}

async function resolve(lookup: InstrumentLookup, store: InstrumentStore): Promise<InstrumentResolution> {
  // TradingView may prefix the exchange (MCX:NATURALGAS1!); resolveInstrument reads the prefix itself
  const symbol = lookup.symbol.toUpperCase();
  const bare = symbol.replace(/^(NSE|BSE|MCX):/, '');
  const candidates = await store.find({
    tradingSymbols: [bare],
    underlyings: [bare.replace(/\d!$/, '')],
    ...(lookup.securityId && { securityIds: [lookup.securityId] }),
  });
  const where = lookup.exchangeSegment ? ` for ${lookup.exchangeSegment}` : '';
  if (candidates.length === 0)
    return { ok: false, reason: 'unknown_symbol', message: `${symbol} is not in the instrument master${where}` };
  try {
    const resolved = resolveInstrument(
      candidates.map((c) => c.raw as ScripRow),
      {
        symbol,
        ...(lookup.exchangeSegment && { exchangeSegment: lookup.exchangeSegment }),
        ...(lookup.securityId && { securityId: lookup.securityId }),
      },
      { now: store.now },
    );
    const instrument = rowToMaster(resolved.row);
    if (!instrument)
      return { ok: false, reason: 'unknown_symbol', message: `${symbol}: ${resolved.exchangeSegment} is not tradable` };
    return { ok: true, instrument };
  } catch (error) {
    if (!(error instanceof InstrumentResolutionError)) throw error;
    return { ok: false, reason: error.reason, message: error.message, candidates: error.candidates };
  }
}

export function dhanInstrumentMaster(options: DhanOptions): InstrumentMaster {
  return {
    source: options.instrumentsSource,
    refreshCron: options.instrumentsRefreshCron,
    ...(options.instrumentsOnStart !== undefined && { loadOnStart: options.instrumentsOnStart }),
    async download({ fetch, signal }) {
      const rows = await loadScripMaster(options.instrumentsSource, {
        fetch: (url, init) =>
          fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
      });
      signal.throwIfAborted();
      return masterRows(rows);
    },
    // The exchange freeze limit is a deployment option (freeze-limits.ts), carried on the resolved contract
    async resolve(lookup, store) {
      const resolved = await resolve(lookup, store);
      if (!resolved.ok) return resolved;
      const { symbol, underlying } = resolved.instrument;
      const limit = options.freezeQuantities[symbol] ?? (underlying ? options.freezeQuantities[underlying] : undefined);
      return limit && limit > 0
        ? { ok: true, instrument: { ...resolved.instrument, freezeQuantity: String(limit) } }
        : resolved;
    },
  };
}
