import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// AES-256-GCM for broker tokens at rest. Format: v1.<iv>.<tag>.<ciphertext> (base64url); the tag makes
// tampering or a wrong key fail loudly instead of returning garbage.
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string) {
    this.key = createHash('sha256').update(keyMaterial).digest();
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(box: string): string {
    const [version, iv, tag, data] = box.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not an encrypted secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export function maskClientId(clientId: string): string {
  return clientId.length <= 4 ? '****' : `${'*'.repeat(clientId.length - 4)}${clientId.slice(-4)}`;
}
