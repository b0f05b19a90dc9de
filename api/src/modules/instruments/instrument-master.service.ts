import { loadScripMaster, ScripRow } from '@algodatta/broker-dhan';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { logger } from '../../shared/logger';
import type { InstrumentResolver } from './instrument-resolver';

const BROKER = 'dhan';
const BATCH = 5000;
const SHRINK_GUARD_MIN = 1000;
const SHRINK_GUARD_RATIO = 0.5;
// One statement per batch: 13 array parameters unnested into rows (far cheaper to send and plan than
// 13 x 5000 scalar parameters)
const INSERT_SQL = `insert into instruments (id, created_at, updated_at, broker, security_id, exchange_segment, exchange, trading_symbol, underlying,
    instrument_type, series, lot_size, tick_size, expiry, strike_price, option_type, raw)
  select gen_random_uuid(), now(), now(), '${BROKER}', u.* from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::numeric[], $9::numeric[], $10::timestamptz[], $11::numeric[], $12::text[], $13::jsonb[]) as u
  on conflict do nothing`;

export type MasterLoad = { rows: number; skipped: number; ms: number };

// Symbol columns are stored upper-case (the resolver looks up the upper-cased TradingView symbol);
// `raw` keeps the parsed row as the master gave it.
function columns(rows: ScripRow[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const r of rows) {
    const v = [
      r.securityId, r.exchangeSegment, r.exchange, r.tradingSymbol.toUpperCase().slice(0, 96), r.underlyingSymbol ? r.underlyingSymbol.toUpperCase().slice(0, 96) : null,
      r.instrument.slice(0, 16), r.series ? r.series.slice(0, 8) : null, r.lotSize, r.tickSize, r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
      r.strikePrice, r.optionType, JSON.stringify(r),
    ];
    v.forEach((x, i) => cols[i].push(x));
  }
  return cols;
}

// The DhanHQ instrument master in PostgreSQL: replaced whole, in one transaction, so resolution never sees
// half a master (the real file has ~200k rows). Runs at start when the table is empty and daily by a job.
export class InstrumentMasterService {
  private running: Promise<MasterLoad> | null = null;
  private readonly stopping = new AbortController();

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

  // Shutdown: a download or swap in progress stops (the swap rolls back) instead of holding the process.
  close(): void {
    this.stopping.abort(new Error('the api is shutting down'));
  }

  private async load(): Promise<MasterLoad> {
    const started = Date.now();
    const signal = this.stopping.signal;
    signal.throwIfAborted();
    const parsed = await loadScripMaster(this.source, {
      fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });
    // The table's key is (broker, segment, security id); the master repeats some rows and has rows of
    // segments we do not model
    const unique = new Map<string, ScripRow>();
    for (const r of parsed) if (r.exchangeSegment) unique.set(`${r.exchangeSegment}|${r.securityId}`, r);
    const rows = [...unique.values()];
    if (rows.length === 0) throw new Error(`the instrument master at ${this.source} has no usable rows`);
    // A truncated download must not wipe the master that live orders resolve against
    const current = await this.count();
    if (current >= SHRINK_GUARD_MIN && rows.length < current * SHRINK_GUARD_RATIO) {
      throw new Error(`the new instrument master has ${rows.length} rows against ${current} stored; kept the stored one`);
    }
    // A connection of its own: one transaction for the whole swap, so readers see the old or the new master
    const client = new Client({ connectionString: this.orm.config.get('clientUrl') });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('delete from instruments where broker = $1', [BROKER]);
      for (let i = 0; i < rows.length; i += BATCH) {
        signal.throwIfAborted();
        await client.query(INSERT_SQL, columns(rows.slice(i, i + BATCH)));
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
    this.resolver.clearCache();
    const result = { rows: rows.length, skipped: parsed.length - rows.length, ms: Date.now() - started };
    logger.info('instrument master loaded', { broker: BROKER, ...result });
    return result;
  }
}
