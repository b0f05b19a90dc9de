import type { EventArgs, EventSubscriber } from '@mikro-orm/core';
import type { Sql } from '../../db/sql';
import { RecentMap } from '../../shared/recent-map';
import type { AllowedSides, OppositeSignalPolicy, TradingMode } from '../../shared/enums';
import { Strategy } from './strategy.entity';

// What the webhook and the executor read of a strategy, as a plain object (same names as the entity): read with
// one raw statement, never hydrated, safe to share between requests.
export type StrategySnapshot = {
  id: string; user: { id: string }; name: string; symbol: string; exchangeSegment: string; productType: string; qty: string;
  mode: TradingMode; broker: string; enabled: boolean; disabledReason?: string; webhookSecretHash?: string; instrumentOverride?: string;
  maxQtyPerOrder?: string; maxOpenPosition?: string; maxDailyLoss?: string; tradingWindowStart?: string; tradingWindowEnd?: string;
  allowedSides: AllowedSides; oppositeSignalPolicy: OppositeSignalPolicy; alertsPerMinute: number; allowedSymbols: string[];
};

const COLUMNS = `id, user_id, name, symbol, exchange_segment, product_type, qty, mode, broker, enabled, disabled_reason, webhook_secret_hash,
  instrument_override, max_qty_per_order, max_open_position, max_daily_loss, trading_window_start, trading_window_end, allowed_sides,
  opposite_signal_policy, alerts_per_minute, allowed_symbols`;

type Row = Record<string, string | number | boolean | string[] | null>;
const opt = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

function toSnapshot(r: Row): StrategySnapshot {
  return {
    id: String(r.id), user: { id: String(r.user_id) }, name: String(r.name), symbol: String(r.symbol), exchangeSegment: String(r.exchange_segment),
    productType: String(r.product_type), qty: String(r.qty), mode: r.mode as TradingMode, broker: String(r.broker), enabled: Boolean(r.enabled),
    disabledReason: opt(r.disabled_reason), webhookSecretHash: opt(r.webhook_secret_hash), instrumentOverride: opt(r.instrument_override),
    maxQtyPerOrder: opt(r.max_qty_per_order), maxOpenPosition: opt(r.max_open_position), maxDailyLoss: opt(r.max_daily_loss),
    tradingWindowStart: opt(r.trading_window_start), tradingWindowEnd: opt(r.trading_window_end), allowedSides: r.allowed_sides as AllowedSides,
    oppositeSignalPolicy: r.opposite_signal_policy as OppositeSignalPolicy, alertsPerMinute: Number(r.alerts_per_minute),
    allowedSymbols: Array.isArray(r.allowed_symbols) ? r.allowed_symbols : [],
  };
}

export async function loadStrategy(sql: Sql, id: string): Promise<StrategySnapshot | null> {
  const [row] = await sql.query<Row>(`select ${COLUMNS} from strategies where id = ?`, [id]);
  return row ? toSnapshot(row) : null;
}

const MAX_ENTRIES = 10_000;
const KNOWN_FOR_MS = 15 * 60_000;

// Every alert starts with "which strategy owns this secret?"; at hundreds of alerts per second that lookup is
// served from memory. Any change to a strategy made through this process (ORM flush, or invalidate()) clears
// the cache at once; a change made by another api process is seen within ttlMs. A secret that matched nothing
// is remembered as such for ttlMs too (a sender repeating a wrong secret costs one lookup per ttlMs, not one
// per request), and forgotten by invalidate(), so a freshly deployed secret works on its first alert.
export class StrategyCache {
  private readonly byHash = new Map<string, { at: number; strategy: StrategySnapshot | null }>();
  // Secrets that matched a strategy lately (by hash): the webhook lets these through to a lookup even from an
  // address that has spent its budget of 401s, so one sender's wrong secrets never lock out the others behind
  // the same address (TradingView sends every user's alerts from four addresses)
  private readonly known = new RecentMap<string, number>(MAX_ENTRIES);

  constructor(private readonly sql: Sql, private readonly ttlMs = 1000) {}

  async bySecretHash(hash: string): Promise<StrategySnapshot | null> {
    const hit = this.byHash.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.strategy;
    const [row] = await this.sql.query<Row>(`select ${COLUMNS} from strategies where webhook_secret_hash = ? and deleted_at is null`, [hash]);
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.clear();
    const strategy = row ? toSnapshot(row) : null;
    this.byHash.set(hash, { at: Date.now(), strategy });
    if (strategy) this.known.set(hash, Date.now());
    return strategy;
  }

  // Whether this secret matched a strategy in the last KNOWN_FOR_MS (it may have been rotated since)
  knows(hash: string): boolean {
    const at = this.known.get(hash);
    return at !== undefined && Date.now() - at < KNOWN_FOR_MS;
  }

  invalidate(): void {
    this.byHash.clear();
  }

  // Registered on the ORM: every flushed create/update/delete of a strategy invalidates the cache.
  subscriber(): EventSubscriber<Strategy> {
    const clear = (_args: EventArgs<Strategy>) => this.invalidate();
    return { getSubscribedEntities: () => [Strategy], afterCreate: clear, afterUpdate: clear, afterDelete: clear, afterUpsert: clear };
  }
}
