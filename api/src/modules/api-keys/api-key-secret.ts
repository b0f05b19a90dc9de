import { createHash, randomBytes } from 'node:crypto';

// adk_<8 characters shown as the prefix>_<32 random bytes>: the prefix tells keys apart in lists and logs of
// the owner; only the sha256 of the whole secret is stored (256 random bits: no salt or slow hash needed).
export const API_KEY_MARK = 'adk_';

export function newApiKeySecret(): { secret: string; prefix: string } {
  const prefix = `${API_KEY_MARK}${randomBytes(6).toString('base64url')}`;
  return { secret: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

export const isApiKeySecret = (token: string) => token.startsWith(API_KEY_MARK);

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
