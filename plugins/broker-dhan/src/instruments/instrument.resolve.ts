// Symbol -> Dhan security, decided BEFORE any order is sent. Pure: rows and "now" come in, nothing is fetched.
import { InvalidOrderError } from '@algodatta/broker-sdk';
import type { DhanSegment } from '../dhan/dhan.types';
import type { ScripRow } from './scrip-master.parse';

export type InstrumentResolutionReason = 'unknown_symbol' | 'ambiguous_symbol' | 'expired_contract';

/** An InvalidOrderError whose `reason` (also in brokerCode) says why the symbol did not resolve. */
export class InstrumentResolutionError extends InvalidOrderError {
  constructor(
    readonly reason: InstrumentResolutionReason,
    message: string,
    readonly candidates: string[] = [],
  ) {
    super(`dhan: ${message}`, { broker: 'dhan', brokerCode: reason });
  }
}

export type InstrumentLookup = {
  symbol: string; // RELIANCE, NSE:RELIANCE, NATURALGAS, NATURALGAS1!, CRUDEOIL-18Jun2026-FUT
  exchange?: 'NSE' | 'BSE' | 'MCX';
  exchangeSegment?: DhanSegment;
  securityId?: string; // override: with exchangeSegment, picks that exact row
};

export type ResolvedInstrument = {
  securityId: string;
  exchangeSegment: DhanSegment;
  tradingSymbol: string;
  lotSize: string;
  tickSize: string;
  expiryDate: string | null;
  row: ScripRow;
};

const FUTURES = new Set(['FUTCOM', 'FUTIDX', 'FUTSTK', 'FUTCUR']);
// NSE's share series; BE (trade-for-trade) is still the share. Warrants (W*), bonds (N*, GB) etc. never match
const NSE_SHARE_SERIES = ['EQ', 'BE'];

function toResolved(row: ScripRow): ResolvedInstrument {
  return {
    securityId: row.securityId,
    exchangeSegment: row.exchangeSegment as DhanSegment,
    tradingSymbol: row.tradingSymbol,
    lotSize: row.lotSize,
    tickSize: row.tickSize,
    expiryDate: row.expiryDate,
    row,
  };
}

function describe(rows: ScripRow[]): string[] {
  return rows.map((r) => `${r.tradingSymbol} (${r.exchangeSegment} ${r.securityId})`);
}

// TradingView writes "NSE:RELIANCE" and continuous futures as "NATURALGAS1!" (1 = nearest, 2 = next)
function normalize(symbol: string): { exchange?: string; base: string; nth: number | null } {
  let s = symbol.trim().toUpperCase();
  let exchange: string | undefined;
  const m = s.match(/^(NSE|BSE|MCX):(.+)$/);
  if (m) {
    exchange = m[1];
    s = m[2];
  }
  const c = s.match(/^(.+?)(\d)!$/);
  if (c) return { exchange, base: c[1], nth: Number(c[2]) - 1 };
  return { exchange, base: s, nth: null };
}

function isShare(r: ScripRow): boolean {
  if (r.instrument !== 'EQUITY') return false;
  if (r.exchange === 'NSE') return NSE_SHARE_SERIES.includes(r.series);
  return true;
}

/**
 * Resolves a symbol against the instrument master.
 * - equities by NSE/BSE trading symbol, the share series only (NSE preferred when both list it);
 * - an explicit contract by trading symbol, e.g. CRUDEOIL-18Jun2026-FUT (rejected once expired);
 * - a continuous future (NATURALGAS, or NATURALGAS2! for the next one) to the nearest unexpired contract of
 *   exactly that underlying (never NATGASMINI);
 * - an override: securityId + exchangeSegment.
 * Throws InstrumentResolutionError (unknown_symbol, ambiguous_symbol, expired_contract).
 *
 * @example resolveInstrument(rows, { symbol: 'NATURALGAS' }, { now: Date.UTC(2026, 5, 1) }).securityId // '504265'
 */
export function resolveInstrument(
  rows: readonly ScripRow[],
  query: InstrumentLookup,
  opts: { now: number },
): ResolvedInstrument {
  const tradable = (r: ScripRow) => r.exchangeSegment !== null && r.exchangeSegment !== 'IDX_I';
  if (query.securityId) {
    const hit = rows.find(
      (r) =>
        r.securityId === query.securityId && (!query.exchangeSegment || r.exchangeSegment === query.exchangeSegment),
    );
    if (!hit || !tradable(hit))
      throw new InstrumentResolutionError(
        'unknown_symbol',
        `no tradable instrument ${query.securityId} ${query.exchangeSegment ?? ''}`.trim(),
      );
    return toResolved(hit);
  }
  const { exchange: prefixExchange, base, nth } = normalize(query.symbol);
  const exchange = query.exchange ?? prefixExchange;
  const inScope = (r: ScripRow) =>
    tradable(r) &&
    (!exchange || r.exchange === exchange) &&
    (!query.exchangeSegment || r.exchangeSegment === query.exchangeSegment);

  if (nth === null) {
    const exact = rows.filter((r) => inScope(r) && r.tradingSymbol.toUpperCase() === base);
    if (exact.length) {
      const shares = exact.filter(isShare);
      const contracts = exact.filter((r) => r.instrument !== 'EQUITY');
      if (shares.length) {
        // Both exchanges list most shares: NSE is the default unless the query names BSE
        const preferred = shares.filter((r) => r.exchange === 'NSE');
        const pick = preferred.length ? preferred : shares;
        if (pick.length > 1)
          throw new InstrumentResolutionError(
            'ambiguous_symbol',
            `"${query.symbol}" matches several shares`,
            describe(pick),
          );
        return toResolved(pick[0]);
      }
      if (contracts.length === 1) {
        const c = contracts[0];
        if (c.expiresAt !== null && c.expiresAt <= opts.now)
          throw new InstrumentResolutionError('expired_contract', `${c.tradingSymbol} expired on ${c.expiryDate}`);
        return toResolved(c);
      }
      if (contracts.length > 1)
        throw new InstrumentResolutionError(
          'ambiguous_symbol',
          `"${query.symbol}" matches several contracts`,
          describe(contracts),
        );
      // Only non-share equity series (warrants, bonds) matched: never trade those by symbol
    }
  }

  // Continuous future: contracts whose underlying is exactly `base` (prefix before the first "-" as a fallback)
  const futures = rows.filter(
    (r) =>
      inScope(r) &&
      FUTURES.has(r.instrument) &&
      r.expiresAt !== null &&
      r.expiresAt > opts.now &&
      (r.underlyingSymbol.toUpperCase() === base || r.tradingSymbol.toUpperCase().split('-')[0] === base),
  );
  if (futures.length) {
    const exchanges = new Set(futures.map((r) => r.exchangeSegment));
    if (exchanges.size > 1)
      throw new InstrumentResolutionError(
        'ambiguous_symbol',
        `"${query.symbol}" has futures on ${[...exchanges].join(', ')}; name the exchange`,
        describe(futures),
      );
    const byExpiry = [...futures].sort((a, b) => (a.expiresAt as number) - (b.expiresAt as number));
    const pick = byExpiry[nth ?? 0];
    if (!pick)
      throw new InstrumentResolutionError(
        'unknown_symbol',
        `"${query.symbol}": only ${byExpiry.length} unexpired contract(s)`,
      );
    return toResolved(pick);
  }
  throw new InstrumentResolutionError(
    'unknown_symbol',
    `unknown symbol "${query.symbol}"${exchange ? ` on ${exchange}` : ''}`,
  );
}
