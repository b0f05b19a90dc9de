import { InstrumentResolutionError, resolveInstrument, ScripRow } from '@algodatta/broker-dhan';
import type { Sql } from '../../db/sql';
import { TradingMode } from '../../shared/enums';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';

export type OrderInstrument = { symbol: string; exchangeSegment: string; securityId?: string; lotSize: string; tickSize: string };
export type Resolution = { ok: true; instrument: OrderInstrument } | { ok: false; reason: 'unknown_symbol' | 'ambiguous_symbol'; message: string };

const EQUITY_SEGMENTS = new Set(['NSE_EQ', 'BSE_EQ']);
const CACHE_MS = 60_000;

// TradingView ticker -> the broker instrument, decided before any order exists. Reads the DhanHQ master
// stored in `instruments` (rows keep the parsed ScripRow in `raw`). Equities outside live DhanHQ need no master:
// lot 1 and tick 0.05 are exact for NSE/BSE shares.
export class InstrumentResolver {
  private readonly cache = new Map<string, { at: number; value: Resolution }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  clearCache(): void {
    this.cache.clear();
  }

  async resolve(sql: Sql, strategy: StrategySnapshot, rawSymbol: string): Promise<Resolution> {
    const symbol = rawSymbol.toUpperCase();
    const key = `${strategy.exchangeSegment}|${symbol}|${strategy.instrumentOverride ?? ''}|${strategy.mode}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.lookup(sql, strategy, symbol);
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private async lookup(sql: Sql, strategy: StrategySnapshot, symbol: string): Promise<Resolution> {
    // TradingView may prefix the exchange (MCX:NATURALGAS1!); resolveInstrument reads the prefix itself
    const bare = symbol.replace(/^(NSE|BSE|MCX):/, '');
    const base = bare.replace(/\d!$/, '');
    const rows = await sql.query<{ raw: ScripRow }>(
      `select raw from instruments where broker = 'dhan' and (trading_symbol = ? or underlying = ? or security_id = ?)`,
      [bare, base, strategy.instrumentOverride ?? '-'],
    );
    if (rows.length > 0) {
      try {
        const resolved = resolveInstrument(rows.map((r) => r.raw), {
          symbol, exchangeSegment: strategy.exchangeSegment as never,
          ...(strategy.instrumentOverride && { securityId: strategy.instrumentOverride }),
        }, { now: this.now().getTime() });
        return { ok: true, instrument: { symbol, exchangeSegment: resolved.exchangeSegment, securityId: resolved.securityId, lotSize: resolved.lotSize, tickSize: resolved.tickSize } };
      } catch (error) {
        if (error instanceof InstrumentResolutionError) {
          return { ok: false, reason: error.reason === 'ambiguous_symbol' ? 'ambiguous_symbol' : 'unknown_symbol', message: error.message };
        }
        throw error;
      }
    }
    // Only live DhanHQ orders need the master's security id; others can trade NSE/BSE shares by symbol
    const needsMaster = strategy.mode === TradingMode.LIVE && strategy.broker === 'dhan';
    if (!needsMaster && EQUITY_SEGMENTS.has(strategy.exchangeSegment)) {
      return { ok: true, instrument: { symbol, exchangeSegment: strategy.exchangeSegment, lotSize: '1', tickSize: '0.05' } };
    }
    return { ok: false, reason: 'unknown_symbol', message: `${symbol} is not in the instrument master for ${strategy.exchangeSegment}` };
  }
}
