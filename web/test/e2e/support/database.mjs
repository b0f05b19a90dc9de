import { randomBytes } from "node:crypto";
import pg from "pg";

const ADMIN_URL = process.env.E2E_PG_ADMIN_URL || "postgres://postgres@127.0.0.1:5432/postgres";

async function withAdmin(run) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

// A fresh, uniquely named database per test run; returns its name and URL.
export async function createDatabase(prefix = "algodatta_e2e") {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

// FORCE drops it even if a killed api left connections behind.
export async function dropDatabase(name) {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
