import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { logger } from '../shared/logger';

// For /readyz: does the database answer? One `select 1` answers every probe that arrives within cacheMs (probes
// at the same moment share it); migrations are not looked at, they ran before the server started listening.
// The reason for a failure is logged when readiness changes, never returned to the caller.
export class DatabaseReadiness {
  private last?: { at: number; ok: boolean };
  private pending?: Promise<boolean>;

  constructor(
    private readonly orm: MikroORM<PostgreSqlDriver>,
    private readonly cacheMs = 1000,
    private readonly timeoutMs = 2000,
  ) {}

  check(): Promise<boolean> {
    if (this.last && Date.now() - this.last.at < this.cacheMs) return Promise.resolve(this.last.ok);
    this.pending ??= this.probe().then((ok) => {
      this.last = { at: Date.now(), ok };
      this.pending = undefined;
      return ok;
    });
    return this.pending;
  }

  private async probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.orm.em.getConnection().execute('select 1'), timeout]);
      if (this.last && !this.last.ok) logger.info('database answers again');
      return true;
    } catch (error) {
      if (!this.last || this.last.ok) logger.warn('database not ready', { error: (error as Error).message });
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
