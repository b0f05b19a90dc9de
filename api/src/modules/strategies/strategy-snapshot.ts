import type { EventArgs, EventSubscriber } from '@mikro-orm/core';
import type { Sql } from '../../db/sql';
import { RecentMap } from '../../shared/recent-map';
import { type ChangeFeed, Freshness } from '../../cluster/change-feed';
import type { AllowedSides, OppositeSignalPolicy, TradingMode, UserStatus } from '../../shared/enums';
import type { SizingMode } from '../risk/sizing-mode';
import { User } from '../users/user.entity';
import { readExitDefaults, type ExitDefaults, type ExitSpec } from '../exits/exit-spec';
import { Strategy } from './strategy.entity';

// What the webhook and the executor read of a strategy, as a plain object (same names as the entity): read with
// one raw statement, never hydrated, safe to share between requests.
export type StrategySnapshot = {
  id: string;
  user: { id: string };
  name: string;
  symbol: string;
  exchangeSegment: string;
  productType: string;
  qty: string;
  mode: TradingMode;
  broker: string;
  /** LIVE: the broker account it trades on; absent = the user's default account at `broker` */
  brokerAccountId?: string | null;
  enabled: boolean;
  disabledReason?: string;
  webhookSecretHash?: string;
  instrumentOverride?: string;
  maxQtyPerOrder?: string;
  maxOpenPosition?: string;
  maxDailyLoss?: string;
  tradingWindowStart?: string;
  tradingWindowEnd?: string;
  allowedSides: AllowedSides;
  oppositeSignalPolicy: OppositeSignalPolicy;
  alertsPerMinute: number;
  allowedSymbols: string[];
  afterMarketOrders?: boolean;
  maxSignalAgeSeconds?: number | null;
  cooldownMinutes?: number | null;
  maxTradesPerDay?: number | null;
  syncToTradingView?: boolean;
  sizingMode?: SizingMode;
  sizingValue?: string | null;
  requireApproval?: boolean;
  approvalTimeoutMinutes?: number;
  /** Default exits of every entry, read (exits/exit-spec.ts) */
  exitSpec?: ExitSpec | null;
  /** The owner's account status (a disabled user's alerts are refused); absent when read without it */
  userStatus?: UserStatus;
  /** A fan-out target's parent strategy and quantity factor (strategy-targets.service.ts); absent otherwise */
  parentStrategyId?: string | null;
  fanOutMultiplier?: string;
};

// A strategy with its owner's status (users_pkey): `from ${FROM} where s.<column> = ?`
const COLUMNS = `s.id, s.user_id, s.name, s.symbol, s.exchange_segment, s.product_type, s.qty, s.mode, s.broker, s.broker_account_id, s.enabled, s.disabled_reason,
  s.webhook_secret_hash, s.instrument_override, s.max_qty_per_order, s.max_open_position, s.max_daily_loss, s.trading_window_start,
  s.trading_window_end, s.allowed_sides, s.opposite_signal_policy, s.alerts_per_minute, s.allowed_symbols, s.after_market_orders,
  s.max_signal_age_seconds, s.cooldown_minutes, s.max_trades_per_day, s.sync_to_trading_view, s.sizing_mode, s.sizing_value,
  s.require_approval, s.approval_timeout_minutes, s.exit_defaults, s.parent_strategy_id, s.fan_out_multiplier,
  u.status as user_status`;
const FROM = 'strategies s join users u on u.id = s.user_id';

type Row = Record<string, string | number | boolean | string[] | null>;
const opt = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

function toSnapshot(r: Row): StrategySnapshot {
  return {
    id: String(r.id),
    user: { id: String(r.user_id) },
    name: String(r.name),
    symbol: String(r.symbol),
    exchangeSegment: String(r.exchange_segment),
    productType: String(r.product_type),
    qty: String(r.qty),
    mode: r.mode as TradingMode,
    broker: String(r.broker),
    brokerAccountId: opt(r.broker_account_id) ?? null,
    enabled: Boolean(r.enabled),
    disabledReason: opt(r.disabled_reason),
    webhookSecretHash: opt(r.webhook_secret_hash),
    instrumentOverride: opt(r.instrument_override),
    maxQtyPerOrder: opt(r.max_qty_per_order),
    maxOpenPosition: opt(r.max_open_position),
    maxDailyLoss: opt(r.max_daily_loss),
    tradingWindowStart: opt(r.trading_window_start),
    tradingWindowEnd: opt(r.trading_window_end),
    allowedSides: r.allowed_sides as AllowedSides,
    oppositeSignalPolicy: r.opposite_signal_policy as OppositeSignalPolicy,
    alertsPerMinute: Number(r.alerts_per_minute),
    allowedSymbols: Array.isArray(r.allowed_symbols) ? r.allowed_symbols : [],
    afterMarketOrders: Boolean(r.after_market_orders),
    userStatus: r.user_status as UserStatus,
    maxSignalAgeSeconds: num(r.max_signal_age_seconds),
    cooldownMinutes: num(r.cooldown_minutes),
    maxTradesPerDay: num(r.max_trades_per_day),
    syncToTradingView: Boolean(r.sync_to_trading_view),
    sizingMode: (r.sizing_mode ?? undefined) as SizingMode | undefined,
    sizingValue: opt(r.sizing_value),
    requireApproval: Boolean(r.require_approval),
    approvalTimeoutMinutes: num(r.approval_timeout_minutes),
    exitSpec: r.exit_defaults ? readExitDefaults(r.exit_defaults as unknown as ExitDefaults).spec : null,
    parentStrategyId: opt(r.parent_strategy_id),
    fanOutMultiplier: opt(r.fan_out_multiplier),
  };
}

export async function loadStrategy(sql: Sql, id: string): Promise<StrategySnapshot | null> {
  const [row] = await sql.query<Row>(`select ${COLUMNS} from ${FROM} where s.id = ?`, [id]);
  return row ? toSnapshot(row) : null;
}

const MAX_ENTRIES = 10_000;
const KNOWN_FOR_MS = 15 * 60_000;

type Entry = { at: number; stamp: number; strategy: StrategySnapshot | null };
type TargetsEntry = { at: number; stamp: number; targets: StrategySnapshot[] };
export type StrategyCacheOptions = { changes?: ChangeFeed; shortMs?: number; longMs?: number };

// Every alert starts with "which strategy owns this secret?", and every order attempt reads its strategy; at
// hundreds of alerts per second both are served from memory. A change to a strategy or to a user's status, made
// by any api process (or by hand in the database), reaches every process's cache through the change feed
// (database triggers -> NOTIFY) and clears it; a change made through this process's ORM clears it at once too.
// While the feed is healthy an entry is kept up to longMs; when it is not, up to shortMs (1 s) as before. A secret
// that matched nothing is remembered as such too (a sender repeating a wrong secret costs one lookup per entry
// lifetime, not one per request), and forgotten with the rest, so a freshly deployed secret works on its first alert.
export class StrategyCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly byIdMap = new Map<string, Entry>();
  // A strategy's fan-out targets (most have none: an empty list is remembered like any other)
  private readonly targetsMap = new Map<string, TargetsEntry>();
  private readonly freshness: Freshness;
  // Secrets that matched a strategy lately (by hash): the webhook lets these through to a lookup even from an
  // address that has spent its budget of 401s, so one sender's wrong secrets never lock out the others behind
  // the same address (TradingView sends every user's alerts from four addresses)
  private readonly known = new RecentMap<string, number>(MAX_ENTRIES);

  constructor(
    private readonly sql: Sql,
    options: StrategyCacheOptions = {},
  ) {
    this.freshness = new Freshness(options.changes, options.shortMs ?? 1000, options.longMs ?? 60_000);
    options.changes?.on('strategies', () => this.invalidate());
    options.changes?.on('users', () => this.invalidate());
    options.changes?.onMissed(() => this.invalidate());
  }

  async bySecretHash(hash: string): Promise<StrategySnapshot | null> {
    const hit = this.byHash.get(hash);
    if (hit && this.freshness.fresh(hit.stamp, hit.at)) return hit.strategy;
    const at = Date.now();
    const stamp = this.freshness.stamp();
    const [row] = await this.sql.query<Row>(
      `select ${COLUMNS} from ${FROM} where s.webhook_secret_hash = ? and s.deleted_at is null`,
      [hash],
    );
    const strategy = row ? toSnapshot(row) : null;
    this.remember(this.byHash, hash, { at, stamp, strategy });
    if (strategy) {
      this.remember(this.byIdMap, strategy.id, { at, stamp, strategy });
      this.known.set(hash, Date.now());
    }
    return strategy;
  }

  // Whether this secret matched a strategy in the last KNOWN_FOR_MS (it may have been rotated since)
  knows(hash: string): boolean {
    const at = this.known.get(hash);
    return at !== undefined && Date.now() - at < KNOWN_FOR_MS;
  }

  async byId(id: string): Promise<StrategySnapshot | null> {
    const hit = this.byIdMap.get(id);
    if (hit?.strategy && this.freshness.fresh(hit.stamp, hit.at)) return hit.strategy;
    const at = Date.now();
    const stamp = this.freshness.stamp();
    const strategy = await loadStrategy(this.sql, id);
    if (strategy) this.remember(this.byIdMap, id, { at, stamp, strategy });
    else this.byIdMap.delete(id);
    return strategy;
  }

  // The live (not deleted) fan-out targets of a strategy, oldest first
  async targetsOf(parentId: string): Promise<StrategySnapshot[]> {
    const hit = this.targetsMap.get(parentId);
    if (hit && this.freshness.fresh(hit.stamp, hit.at)) return hit.targets;
    const at = Date.now();
    const stamp = this.freshness.stamp();
    const rows = await this.sql.query<Row>(
      `select ${COLUMNS} from ${FROM} where s.parent_strategy_id = ? and s.deleted_at is null order by s.created_at, s.id`,
      [parentId],
    );
    const targets = rows.map(toSnapshot);
    this.remember(this.targetsMap, parentId, { at, stamp, targets });
    return targets;
  }

  private remember<E extends { stamp: number }>(map: Map<string, E>, key: string, entry: E): void {
    // Read while a change committed: not kept (the next read asks again)
    if (entry.stamp !== this.freshness.stamp()) return;
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, entry);
  }

  invalidate(): void {
    this.freshness.bump();
    this.byHash.clear();
    this.byIdMap.clear();
    this.targetsMap.clear();
  }

  // Registered on the ORM: every flushed create/update/delete of a strategy or a user (its status) invalidates the cache.
  subscriber(): EventSubscriber<Strategy | User> {
    const clear = (_args: EventArgs<Strategy | User>) => this.invalidate();
    return {
      getSubscribedEntities: () => [Strategy, User],
      afterCreate: clear,
      afterUpdate: clear,
      afterDelete: clear,
      afterUpsert: clear,
    };
  }
}
