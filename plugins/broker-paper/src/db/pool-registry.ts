// One pg pool (and one engine) per databaseUrl per process; clients are cheap views that hold a reference.
// The last client to close ends the pool.

import { Pool } from 'pg';

type Entry<T> = { value: T; refs: number };

export class SharedRegistry<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly dispose: (value: T) => Promise<void>) {}

  /** Returns the shared value for key, building it with make() on first use. */
  acquire(key: string, make: () => T): T {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: make(), refs: 0 };
      this.entries.set(key, entry);
    }
    entry.refs += 1;
    return entry.value;
  }

  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    // Removed before disposing so a concurrent acquire builds a fresh one instead of reusing a closing pool
    this.entries.delete(key);
    await this.dispose(entry.value);
  }

  size(): number {
    return this.entries.size;
  }

  refs(key: string): number {
    return this.entries.get(key)?.refs ?? 0;
  }
}

// A few connections stay open and are opened up front: a burst of orders must not wait for new PostgreSQL
// backends to start (several milliseconds each) on the order path.
export function makePool(databaseUrl: string, max: number): Pool {
  const min = Math.min(max, 4);
  const pool = new Pool({ connectionString: databaseUrl, max, min });
  void Promise.all(
    Array.from({ length: min }, () =>
      pool.connect().then(
        (c) => c.release(),
        () => undefined,
      ),
    ),
  );
  return pool;
}
