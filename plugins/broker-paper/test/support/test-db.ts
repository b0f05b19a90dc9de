// A throwaway database per test file on the local PostgreSQL (trust auth)

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const ADMIN_URL = process.env.PAPER_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDb = { url: string; name: string; drop(): Promise<void> };

export async function createTestDb(label: string): Promise<TestDb> {
  const name = `paper_${label}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    name,
    async drop() {
      const a = new Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
