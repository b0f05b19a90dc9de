import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// The secret_token setWebhook registers, which Telegram sends back in X-Telegram-Bot-Api-Secret-Token. Derived, not
// stored: every api process with the same SECRET_KEY and bot token gets the same one, and forging an update
// takes both. base64url fits Telegram's alphabet (A-Z, a-z, 0-9, _ and -; at most 256 characters).
export function telegramWebhookSecret(secretKey: string, botToken: string): string {
  return createHmac('sha256', secretKey).update(`telegram-webhook:${botToken}`).digest('base64url');
}

// Constant time whatever the presented length: both sides are hashed to 32 bytes first
export function webhookSecretMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
