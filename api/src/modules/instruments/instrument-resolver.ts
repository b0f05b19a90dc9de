import {
  EXCHANGE_SEGMENTS,
  type ExchangeSegment,
  type InstrumentMaster,
  type InstrumentStore,
} from '@algodatta/broker-sdk';
import type { Sql } from '../../db/sql';
import { TradingMode } from '../../shared/enums';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { findInstruments } from './instrument-rows.sql';

export type OrderInstrument = {
  symbol: string;
  exchangeSegment: string;
  securityId?: string;
  lotSize: string;
  tickSize: string;
  /** Exchange freeze limit in units (one order carries at most this many), when the broker's master knows it */
  freezeQuantity?: string;
};
export type Resolution =
  | { ok: true; instrument: OrderInstrument }
  | { ok: false; reason: 'unknown_symbol' | 'ambiguous_symbol'; message: string };

type Masters = Pick<BrokerRegistry, 'instrumentMaster' | 'instrumentMasters'>;

const EQUITY_SEGMENTS = new Set(['NSE_EQ', 'BSE_EQ']);
const CACHE_MS = 60_000;
const isSegment = (s: string): s is ExchangeSegment => (EXCHANGE_SEGMENTS as readonly string[]).includes(s);

// TradingView ticker -> the broker instrument, decided before any order exists. The strategy's broker plugin resolves
// it against its master stored in `instruments` (has.instrumentMaster); a LIVE order on such a broker needs it. A paper
// strategy trades the contracts of the broker it would go live with, or of the first master loaded. Equities without
// a master need none: lot 1 and tick 0.05 are exact for NSE/BSE shares.
export class InstrumentResolver {
  private readonly cache = new Map<string, { at: number; value: Resolution }>();

  constructor(
    private readonly masters: Masters,
    private readonly now: () => Date = () => new Date(),
  ) {}

  clearCache(): void {
    this.cache.clear();
  }

  async resolve(sql: Sql, strategy: StrategySnapshot, rawSymbol: string): Promise<Resolution> {
    const symbol = rawSymbol.toUpperCase();
    const key = `${strategy.broker}|${strategy.exchangeSegment}|${symbol}|${strategy.instrumentOverride ?? ''}|${strategy.mode}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.lookup(sql, strategy, symbol);
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private masterFor(strategy: StrategySnapshot): { broker: string; master: InstrumentMaster } | null {
    const own = strategy.broker ? this.masters.instrumentMaster(strategy.broker) : null;
    if (own) return { broker: strategy.broker, master: own };
    return strategy.mode === TradingMode.PAPER ? (this.masters.instrumentMasters()[0] ?? null) : null;
  }

  private async lookup(sql: Sql, strategy: StrategySnapshot, symbol: string): Promise<Resolution> {
    const found = this.masterFor(strategy);
    // Only a LIVE order at a broker with a master needs the master's contract (its security id)
    const needsMaster = strategy.mode === TradingMode.LIVE && found !== null;
    if (found) {
      let rows = 0;
      const store: InstrumentStore = {
        now: this.now().getTime(),
        find: async (keys) => {
          const matched = await findInstruments(sql, found.broker, keys);
          rows += matched.length;
          return matched;
        },
      };
      const resolved = await found.master.resolve(
        {
          symbol,
          ...(isSegment(strategy.exchangeSegment) && { exchangeSegment: strategy.exchangeSegment }),
          ...(strategy.instrumentOverride && { securityId: strategy.instrumentOverride }),
        },
        store,
      );
      if (resolved.ok) {
        const { exchangeSegment, securityId, lotSize, tickSize, freezeQuantity } = resolved.instrument;
        return {
          ok: true,
          instrument: {
            symbol,
            exchangeSegment,
            securityId,
            lotSize,
            tickSize,
            ...(freezeQuantity && { freezeQuantity }),
          },
        };
      }
      // The master knows the symbol (or must): its answer stands. One it has never heard of may still be a share
      if (rows > 0 || needsMaster)
        return {
          ok: false,
          reason: resolved.reason === 'ambiguous_symbol' ? 'ambiguous_symbol' : 'unknown_symbol',
          message: resolved.message,
        };
    }
    if (!needsMaster && EQUITY_SEGMENTS.has(strategy.exchangeSegment)) {
      return {
        ok: true,
        instrument: { symbol, exchangeSegment: strategy.exchangeSegment, lotSize: '1', tickSize: '0.05' },
      };
    }
    return {
      ok: false,
      reason: 'unknown_symbol',
      message: `${symbol} is not in the instrument master for ${strategy.exchangeSegment}`,
    };
  }
}
