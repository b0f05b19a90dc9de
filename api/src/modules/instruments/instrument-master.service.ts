import { loadScripMaster, ScripRow } from '@algodatta/broker-dhan';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../../shared/logger';
import type { InstrumentResolver } from './instrument-resolver';

const BROKER = 'dhan';
const BATCH = 1000;
const COLUMNS = 'id, created_at, updated_at, broker, security_id, exchange_segment, exchange, trading_symbol, underlying, instrument_type, series, lot_size, tick_size, expiry, strike_price, option_type, raw';
const ROW_SQL = `(gen_random_uuid(), now(), now(), '${BROKER}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`;

export type MasterLoad = { rows: number; skipped: number; ms: number };

// Symbol columns are stored upper-case (the resolver looks up the upper-cased TradingView symbol);
// `raw` keeps the parsed row as the master gave it.
function values(r: ScripRow): unknown[] {
  return [
    r.securityId, r.exchangeSegment, r.exchange, r.tradingSymbol.toUpperCase().slice(0, 96), r.underlyingSymbol ? r.underlyingSymbol.toUpperCase().slice(0, 96) : null,
    r.instrument.slice(0, 16), r.series ? r.series.slice(0, 8) : null, r.lotSize, r.tickSize, r.expiresAt === null ? null : new Date(r.expiresAt),
    r.strikePrice, r.optionType, JSON.stringify(r),
  ];
}

// The DhanHQ instrument master in PostgreSQL: replaced whole, in one transaction, so resolution never sees
// half a master (the real file has ~200k rows). Runs at start when the table is empty and daily by a job.
export class InstrumentMasterService {
  private running: Promise<MasterLoad> | null = null;

  constructor(private readonly orm: MikroORM, private readonly resolver: InstrumentResolver, private readonly source: string) {}

  async count(em: EntityManager = this.orm.em.fork()): Promise<number> {
    const rows = await em.getConnection().execute<{ n: string }[]>(`select count(*) as n from instruments where broker = ?`, [BROKER]);
    return Number(rows[0]?.n ?? 0);
  }

  // One load at a time in this process; a second caller waits for the running one.
  refresh(): Promise<MasterLoad> {
    this.running ??= this.load().finally(() => { this.running = null; });
    return this.running;
  }

  async loadIfEmpty(): Promise<MasterLoad | null> {
    if ((await this.count()) > 0) return null;
    return this.refresh();
  }

  // Start-up and job entry: never throws (the network is often unavailable); the old master stays in place.
  async refreshSafely(reason: string, onlyIfEmpty = false): Promise<MasterLoad | null> {
    try {
      return onlyIfEmpty ? await this.loadIfEmpty() : await this.refresh();
    } catch (error) {
      logger.warn('instrument master not loaded', { reason, source: this.source, error: (error as Error).message });
      return null;
    }
  }

  private async load(): Promise<MasterLoad> {
    const started = Date.now();
    const parsed = await loadScripMaster(this.source);
    // The table's key is (broker, segment, security id); the master repeats some rows and has rows of
    // segments we do not model
    const unique = new Map<string, ScripRow>();
    for (const r of parsed) if (r.exchangeSegment) unique.set(`${r.exchangeSegment}|${r.securityId}`, r);
    const rows = [...unique.values()];
    if (rows.length === 0) throw new Error(`the instrument master at ${this.source} has no usable rows`);
    await this.orm.em.fork().transactional(async (em) => {
      const conn = em.getConnection();
      const tx = em.getTransactionContext();
      await conn.execute(`delete from instruments where broker = ?`, [BROKER], 'run', tx);
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        await conn.execute(
          `insert into instruments (${COLUMNS}) values ${batch.map(() => ROW_SQL).join(', ')} on conflict do nothing`,
          batch.flatMap(values), 'run', tx,
        );
      }
    });
    this.resolver.clearCache();
    const result = { rows: rows.length, skipped: parsed.length - rows.length, ms: Date.now() - started };
    logger.info('instrument master loaded', { broker: BROKER, ...result });
    return result;
  }
}
