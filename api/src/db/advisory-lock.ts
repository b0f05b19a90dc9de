import { Client } from 'pg';

// Start-up steps that must not run in two api processes at once (migrations, the seed, Agenda's table and
// schedules): each runs under a PostgreSQL session advisory lock, on a connection of its own, so a second process
// starting at the same moment waits for the first and then finds the work done.
export async function withAdvisoryLock<T>(databaseUrl: string, name: string, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    return await work();
  } finally {
    // Ending the session releases the lock
    await client.end().catch(() => undefined);
  }
}
