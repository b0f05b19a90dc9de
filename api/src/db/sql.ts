import type { EntityManager } from '@mikro-orm/postgresql';
import { Pool, PoolClient } from 'pg';
import { query } from './query';

// The hot path (webhook intake, executor, order updates) talks to PostgreSQL through this instead of the ORM:
// a statement here costs a fraction of the CPU of an entity load + flush. SQL is written with `?` placeholders,
// as for knex, so the same text runs on an EntityManager (inside its transaction) or on the pool.
export interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export type SqlPool = Sql & {
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  end(): Promise<void>;
};

const converted = new Map<string, string>();

// `?` -> `$1, $2, ...` once per distinct text (the hot statements are constants)
function toPgText(text: string): string {
  let pg = converted.get(text);
  if (pg === undefined) {
    let n = 0;
    pg = text.replace(/\?/g, () => `$${++n}`);
    converted.set(text, pg);
  }
  return pg;
}

const onClient = (client: Pool | PoolClient): Sql => ({
  query: async <T>(text: string, params: unknown[] = []) => (await client.query(toPgText(text), params)).rows as T[],
});

// Every connection stays open once made, and they are all opened up front (in the background): a burst of alerts
// must not wait for new PostgreSQL backends to start, several milliseconds each, on the order path.
export function createSqlPool(connectionString: string, max: number): SqlPool {
  const pool = new Pool({ connectionString, max, min: max });
  // An idle connection that dies (database restart) must not crash the process; the next query reconnects
  pool.on('error', () => undefined);
  void Promise.all(Array.from({ length: max }, () => pool.connect().then((c) => c.release(), () => undefined)));
  return {
    ...onClient(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(onClient(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}

export const emSql = (em: EntityManager): Sql => ({ query: (text, params) => query(em, text, params) });
