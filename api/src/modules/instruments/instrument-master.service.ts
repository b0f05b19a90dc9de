import type { InstrumentMaster, MasterInstrument } from '@algodatta/broker-sdk';
import { masterInstrumentSchema } from '@algodatta/broker-sdk';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { logger } from '../../shared/logger';
import type { InstrumentResolver } from './instrument-resolver';
import { INSERT_BATCH_SQL, insertBatchParams } from './instrument-rows.sql';

const BATCH = 5000;
const SHRINK_GUARD_MIN = 1000;
const SHRINK_GUARD_RATIO = 0.5;

export type MasterLoad = { rows: number; skipped: number; ms: number };

// One broker's instrument master in PostgreSQL, from its plugin's download: replaced whole, in one transaction, so
// resolution never sees half a master (DhanHQ's has ~200k rows). Runs at start when none is stored and on the
// plugin's schedule (a job).
export class InstrumentMasterService {
  private running: Promise<MasterLoad> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly orm: MikroORM,
    private readonly resolver: InstrumentResolver,
    readonly broker: string,
    private readonly master: InstrumentMaster,
  ) {}

  get source(): string {
    return this.master.source;
  }

  async count(em: EntityManager = this.orm.em.fork()): Promise<number> {
    const rows = await em
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from instruments where broker = ?`, [this.broker]);
    return Number(rows[0]?.n ?? 0);
  }

  // One load at a time in this process; a second caller waits for the running one.
  refresh(): Promise<MasterLoad> {
    this.running ??= this.load().finally(() => {
      this.running = null;
    });
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
      logger.warn('instrument master not loaded', {
        broker: this.broker,
        reason,
        source: this.master.source,
        error: (error as Error).message,
      });
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
    const downloaded = await this.master.download({ fetch, signal });
    // The table's key is (broker, segment, security id): a plugin's repeated or malformed rows are dropped here
    const unique = new Map<string, MasterInstrument>();
    for (const r of downloaded) {
      const parsed = masterInstrumentSchema.safeParse(r);
      if (parsed.success) unique.set(`${parsed.data.exchangeSegment}|${parsed.data.securityId}`, parsed.data);
    }
    const rows = [...unique.values()];
    if (rows.length === 0) throw new Error(`the instrument master at ${this.master.source} has no usable rows`);
    // A truncated download must not wipe the master that live orders resolve against
    const current = await this.count();
    if (current >= SHRINK_GUARD_MIN && rows.length < current * SHRINK_GUARD_RATIO) {
      throw new Error(
        `the new instrument master has ${rows.length} rows against ${current} stored; kept the stored one`,
      );
    }
    // A connection of its own: one transaction for the whole swap, so readers see the old or the new master
    const client = new Client({ connectionString: this.orm.config.get('clientUrl') });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('delete from instruments where broker = $1', [this.broker]);
      for (let i = 0; i < rows.length; i += BATCH) {
        signal.throwIfAborted();
        await client.query(INSERT_BATCH_SQL, insertBatchParams(this.broker, rows.slice(i, i + BATCH)));
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
    this.resolver.clearCache();
    const result = { rows: rows.length, skipped: downloaded.length - rows.length, ms: Date.now() - started };
    logger.info('instrument master loaded', { broker: this.broker, ...result });
    return result;
  }
}

// Every loaded plugin's master: refreshed together for tests and one by one by their jobs.
export class InstrumentMasters {
  constructor(readonly services: readonly InstrumentMasterService[]) {}

  of(broker: string): InstrumentMasterService | undefined {
    return this.services.find((s) => s.broker === broker);
  }

  // The first master's result (most deployments have one); every master is refreshed
  async refresh(): Promise<MasterLoad> {
    const results = await Promise.all(this.services.map((s) => s.refresh()));
    if (!results.length) throw new Error('no loaded broker plugin has an instrument master');
    return results[0];
  }

  close(): void {
    for (const s of this.services) s.close();
  }
}
