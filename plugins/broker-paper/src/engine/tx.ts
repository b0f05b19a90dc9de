// Runs fn inside one transaction on a pooled connection

import type { Pool, PoolClient } from 'pg';

export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {
      // The original error matters more; a failed rollback means the connection is gone anyway
    });
    throw e;
  } finally {
    c.release();
  }
}
