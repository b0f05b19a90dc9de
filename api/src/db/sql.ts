import { createHash } from 'node:crypto';
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
  // The pg pool itself, for a library that speaks pg (the shared rate limiters' store)
  pool: Pool;
  end(): Promise<void>;
};

type Prepared = { name: string; text: string };
const prepared = new Map<string, Prepared>();

// Each distinct text becomes a named prepared statement: `?` -> `$1, $2, ...`, and PostgreSQL parses and plans
// it once per connection instead of on every call (the hot statements are large CTEs, run hundreds of times a
// second). The texts are constants, so the map stays small.
function toPrepared(text: string): Prepared {
  let statement = prepared.get(text);
  if (statement === undefined) {
    let n = 0;
    statement = {
      name: `hot_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
      text: text.replace(/\?/g, () => `$${++n}`),
    };
    prepared.set(text, statement);
  }
  return statement;
}

// The texts prepared so far, as PostgreSQL sees them ($n placeholders): a test checks the plans they get
export const preparedTexts = (): string[] => [...prepared.values()].map((p) => p.text);

// One connection (or the pool) spoken to with prepared statements
export const sqlOn = (client: Pool | PoolClient): Sql => ({
  query: async <T>(text: string, params: unknown[] = []) =>
    (await client.query({ ...toPrepared(text), values: params })).rows as T[],
});

// Every connection stays open once made, and they are all opened up front (in the background): a burst of alerts
// must not wait for new PostgreSQL backends to start, several milliseconds each, on the order path.
export function createSqlPool(connectionString: string, max: number): SqlPool {
  const pool = new Pool({ connectionString, max, min: max });
  // An idle connection that dies (database restart) must not crash the process; the next query reconnects
  pool.on('error', () => undefined);
  void Promise.all(
    Array.from({ length: max }, () =>
      pool.connect().then(
        (c) => c.release(),
        () => undefined,
      ),
    ),
  );
  return {
    ...sqlOn(pool),
    pool,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(sqlOn(client));
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
