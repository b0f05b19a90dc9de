import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Shown once at deploy; only its sha256 is stored, so a database leak does not leak working secrets.
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Constant-time check of the presented secret's hash against the stored one (the lookup itself is by hash).
export function hashesMatch(presentedHash: string, storedHash: string | undefined | null): boolean {
  const presented = Buffer.from(presentedHash, 'hex');
  const stored = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored) && Boolean(storedHash);
}
