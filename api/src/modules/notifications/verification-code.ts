import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_TTL_MS = 15 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

export const newVerificationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

// Bound to the channel, so a code read for one channel is useless for another
export const hashCode = (channelId: string, code: string): string =>
  createHash('sha256').update(`${channelId}:${code}`).digest('hex');

export function codeMatches(channelId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCode(channelId, code.trim()), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
