import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './databases';

// One migrated template per run; every test file clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
// Migrations run in a child process from the build (npm test builds first): MikroORM metadata must not be
// created in jest's outer realm, where its Maps would be foreign to the test files' realm.
export default async function globalSetup(): Promise<void> {
  const name = `algodatta_test_tmpl_${process.pid}_${Date.now()}`;
  await dropDatabase(name);
  await adminQuery(`create database "${name}"`);
  const script = path.resolve(__dirname, '../../dist/db/migrate.js');
  execFileSync(process.execPath, [script], { env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'pipe' });
  process.env[TEMPLATE_ENV] = name;
}
