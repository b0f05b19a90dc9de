// Throwaway databases on the bench's PostgreSQL server (BENCH_ADMIN_URL, default the local postgres database).
'use strict';

const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

const ADMIN_URL = process.env.BENCH_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(sql, url = ADMIN_URL) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

// Creates `<prefix>_<random>` and returns its name and URL
const created = new Set();

async function createDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  created.add(name);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return { name, url: ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) };
}

async function dropDatabase(name) {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  created.delete(name);
}

// For an aborted run: whatever this process created and has not dropped yet
async function dropCreatedDatabases() {
  for (const name of [...created]) await dropDatabase(name).catch(() => undefined);
}

async function serverVersion() {
  const r = await adminQuery('show server_version');
  return r.rows[0].server_version;
}

module.exports = { ADMIN_URL, adminQuery, createDatabase, dropDatabase, dropCreatedDatabases, serverVersion };
