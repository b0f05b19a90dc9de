// The instrument master, loaded lazily and refreshed after a TTL; one load at a time
import { loadScripMaster } from './scrip-master.load';
import type { ScripRow } from './scrip-master.parse';

export class InstrumentCache {
  private rows?: readonly ScripRow[];
  private loadedAt = 0;
  private loading?: Promise<readonly ScripRow[]>;

  constructor(
    private readonly source: string,
    private readonly ttlMs: number,
    private readonly fetchImpl?: typeof fetch,
  ) {}

  async get(now: number): Promise<readonly ScripRow[]> {
    if (this.rows && now - this.loadedAt < this.ttlMs) return this.rows;
    this.loading ??= loadScripMaster(this.source, { fetch: this.fetchImpl })
      .then((rows) => {
        this.rows = rows;
        this.loadedAt = now;
        return rows;
      })
      .finally(() => {
        this.loading = undefined;
      });
    try {
      return await this.loading;
    } catch (e) {
      // A stale master beats none: contracts rarely change within a day
      if (this.rows) return this.rows;
      throw e;
    }
  }
}
