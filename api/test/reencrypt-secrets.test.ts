import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { SecretBox } from '../src/shared/crypto';
import { ENCRYPTED_COLUMNS } from '../src/ops/reencrypt-secrets';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './harness/databases';
import { startApiOn } from './harness/test-api';

const SCRIPT = path.resolve(__dirname, '../dist/ops/reencrypt-secrets.js');
const OLD_KEY = 'old-encryption-key-0123456789-abcdefghij';
const NEW_KEY = 'new-encryption-key-9876543210-zyxwvutsrq';

type Run = { code: number; stdout: string; stderr: string };
function runScript(dbName: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT],
      { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl(dbName), LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('re-encrypting stored secrets for a new ENCRYPTION_KEY (npm run reencrypt)', () => {
  let dbName: string;
  let db: Client;
  const old = new SecretBox(OLD_KEY);
  const ids = { user: randomUUID(), account: randomUUID(), channel: randomUUID() };

  const stored = async () => ({
    account: (
      await db.query('select client_id_enc, access_token_enc, refresh_token_enc from broker_accounts where id = $1', [
        ids.account,
      ])
    ).rows[0],
    channel: (await db.query('select config_enc from notification_channels where id = $1', [ids.channel])).rows[0],
  });

  beforeAll(async () => {
    dbName = `algodatta_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    db = new Client({ connectionString: databaseUrl(dbName) });
    await db.connect();
    await db.query(
      `insert into users (id, email, password_hash, role, status, created_at, updated_at) values ($1, 'rotate@example.com', 'x', 'USER', 'ACTIVE', now(), now())`,
      [ids.user],
    );
    await db.query(
      `insert into broker_accounts (id, user_id, broker, client_id_enc, client_id_masked, access_token_enc, refresh_token_enc, status, created_at, updated_at)
       values ($1, $2, 'dhan', $3, '******0001', $4, null, 'CONNECTED', now(), now())`,
      [ids.account, ids.user, old.encrypt('1000000001'), old.encrypt('dhan-access-token')],
    );
    await db.query(
      `insert into notification_channels (id, user_id, kind, target, config_enc, created_at, updated_at)
       values ($1, $2, 'TELEGRAM', '12345', $3, now(), now())`,
      [ids.channel, ids.user, old.encrypt('{"botToken":"1:abc"}')],
    );
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(dbName);
  });

  it('should list every encrypted column the database has', async () => {
    const columns = (
      await db.query(
        `select table_name, column_name from information_schema.columns where table_schema = 'public' and column_name like '%\\_enc'`,
      )
    ).rows
      .map((r) => `${r.table_name}.${r.column_name}`)
      .sort();
    expect(ENCRYPTED_COLUMNS.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)).sort()).toEqual(columns);
  });

  it('should refuse without OLD_ENCRYPTION_KEY and change nothing', async () => {
    const before = await stored();
    const run = await runScript(dbName, { ENCRYPTION_KEY: NEW_KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('OLD_ENCRYPTION_KEY');
    expect(await stored()).toEqual(before);
  });

  it('should change nothing when one value opens with neither key', async () => {
    const stray = randomUUID();
    await db.query(
      `insert into users (id, email, password_hash, role, status, created_at, updated_at) values ($1, 'stray@example.com', 'x', 'USER', 'ACTIVE', now(), now())`,
      [stray],
    );
    // In the table handled last, so the broker account before it was already re-encrypted in the transaction
    await db.query(
      `insert into notification_channels (id, user_id, kind, target, config_enc, created_at, updated_at)
       values ($1, $2, 'TELEGRAM', '999', $3, now(), now())`,
      [stray, stray, new SecretBox('a-third-key-nobody-knows-0123456789').encrypt('x')],
    );
    const before = await stored();
    const run = await runScript(dbName, { OLD_ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY: NEW_KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `notification_channels.config_enc of row ${stray} opens with neither the old nor the new key`,
    );
    // The broker account re-encrypted before the bad value was rolled back with it
    expect(await stored()).toEqual(before);
    await db.query('delete from users where id = $1', [stray]);
  });

  it('should move every secret to the new key in one run, and a second run should find nothing to do', async () => {
    const run = await runScript(dbName, { OLD_ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY: NEW_KEY });
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({
      code: 0,
      stdout: 're-encrypted 3 secret(s) with the new ENCRYPTION_KEY; 0 already used it\n',
    });
    const fresh = new SecretBox(NEW_KEY);
    const after = await stored();
    expect(fresh.decrypt(after.account.client_id_enc)).toBe('1000000001');
    expect(fresh.decrypt(after.account.access_token_enc)).toBe('dhan-access-token');
    expect(after.account.refresh_token_enc).toBeNull();
    expect(fresh.decrypt(after.channel.config_enc)).toBe('{"botToken":"1:abc"}');
    expect(() => old.decrypt(after.account.access_token_enc)).toThrow();

    const again = await runScript(dbName, { OLD_ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY: NEW_KEY });
    expect(again).toMatchObject({
      code: 0,
      stdout: 're-encrypted 0 secret(s) with the new ENCRYPTION_KEY; 3 already used it\n',
    });
  });

  it('should let an api started with the new key use the broker account', async () => {
    const api = await startApiOn(dbName, { ENCRYPTION_KEY: NEW_KEY });
    try {
      const route = await api.services.router.route({
        id: 's',
        mode: 'LIVE' as never,
        broker: 'dhan',
        user: { id: ids.user },
      });
      expect(route?.credentials).toEqual({ clientId: '1000000001', accessToken: 'dhan-access-token' });
    } finally {
      await api.stop();
    }
  });
});
