import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/database';
import { SecretBox } from '../shared/crypto';
import { logger } from '../shared/logger';

// Every column that holds a SecretBox ciphertext (a test checks this list against the database's *_enc columns)
export const ENCRYPTED_COLUMNS: ReadonlyArray<{ table: string; columns: readonly string[] }> = [
  {
    table: 'broker_accounts',
    columns: ['client_id_enc', 'access_token_enc', 'refresh_token_enc', 'pin_enc', 'totp_secret_enc'],
  },
  { table: 'notification_channels', columns: ['config_enc'] },
];

export type ReencryptResult = { reencrypted: number; alreadyNew: number };

export class ReencryptError extends Error {}

// Re-encrypts every stored secret from the old ENCRYPTION_KEY to the new one in one transaction: all values
// move, or (a value that opens with neither key, a database error) none does. Values already under the new key
// are left as they are, so an interrupted or repeated run is safe.
export async function reencryptSecrets(databaseUrl: string, oldKey: string, newKey: string): Promise<ReencryptResult> {
  if (oldKey === newKey) throw new ReencryptError('the old and the new key are the same');
  const before = new SecretBox(oldKey);
  const after = new SecretBox(newKey);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const result: ReencryptResult = { reencrypted: 0, alreadyNew: 0 };
  try {
    await client.query('begin');
    for (const { table, columns } of ENCRYPTED_COLUMNS) {
      const rows = (await client.query(`select id, ${columns.join(', ')} from ${table} for update`)).rows as Array<
        Record<string, string | null>
      >;
      for (const row of rows) {
        const changed: Record<string, string> = {};
        for (const column of columns) {
          const sealed = row[column];
          if (sealed === null || sealed === undefined) continue;
          const plain = open(before, sealed);
          if (plain !== undefined) {
            changed[column] = after.encrypt(plain);
            result.reencrypted += 1;
          } else if (open(after, sealed) !== undefined) {
            result.alreadyNew += 1;
          } else {
            throw new ReencryptError(
              `${table}.${column} of row ${row.id} opens with neither the old nor the new key: nothing was changed`,
            );
          }
        }
        const names = Object.keys(changed);
        if (!names.length) continue;
        const sets = names.map((name, i) => `${name} = $${i + 2}`).join(', ');
        await client.query(`update ${table} set ${sets}, updated_at = now() where id = $1`, [
          row.id,
          ...names.map((n) => changed[n]),
        ]);
      }
    }
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function open(box: SecretBox, sealed: string): string | undefined {
  try {
    return box.decrypt(sealed);
  } catch {
    return undefined;
  }
}

// npm run reencrypt (api stopped): OLD_ENCRYPTION_KEY=<current> ENCRYPTION_KEY=<new> with DATABASE_URL, or the
// embedded database under DATA_DIR when DATABASE_URL is unset
async function main(): Promise<void> {
  const oldKey = process.env.OLD_ENCRYPTION_KEY;
  if (!oldKey)
    throw new ReencryptError(
      'OLD_ENCRYPTION_KEY (the key the secrets are encrypted with now) is required; ENCRYPTION_KEY is the new one',
    );
  const config = loadConfig(process.env);
  logger.level = 'warn';
  const db = await openDatabase(config, logger);
  try {
    const { reencrypted, alreadyNew } = await reencryptSecrets(db.url, oldKey, config.ENCRYPTION_KEY);
    process.stdout.write(
      `re-encrypted ${reencrypted} secret(s) with the new ENCRYPTION_KEY; ${alreadyNew} already used it\n`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
