import { ConfigError } from '../../../config/config';
import { telegramUpdatesMode } from './telegram-updates-mode';
import { telegramWebhookSecret, webhookSecretMatches } from './telegram-webhook-secret';

describe('telegramUpdatesMode', () => {
  it.each([
    ['https://algo.example.com', 'https://algo.example.com/api/webhook/telegram'],
    ['https://algo.example.com/', 'https://algo.example.com/api/webhook/telegram'],
    ['https://algo.example.com:8443', 'https://algo.example.com:8443/api/webhook/telegram'],
    ['https://algo.example.com:88/base', 'https://algo.example.com:88/base/api/webhook/telegram'],
  ])('should choose a webhook when auto and PUBLIC_BASE_URL is %s', (base, url) => {
    expect(telegramUpdatesMode('auto', base)).toEqual({ mode: 'webhook', url });
    expect(telegramUpdatesMode('webhook', base)).toEqual({ mode: 'webhook', url });
  });

  it.each([
    ['http://algo.example.com', /is not https/],
    ['http://localhost:4000', /is not https/],
    ['https://algo.example.com:4443', /port 4443/],
  ])('should poll when auto and PUBLIC_BASE_URL is %s, and refuse to start when webhook is forced', (base, reason) => {
    expect(telegramUpdatesMode('auto', base)).toEqual({ mode: 'polling', reason: expect.stringMatching(reason) });
    expect(() => telegramUpdatesMode('webhook', base)).toThrow(ConfigError);
  });

  it('should poll when polling is forced, whatever PUBLIC_BASE_URL is', () => {
    expect(telegramUpdatesMode('polling', 'https://algo.example.com')).toEqual({
      mode: 'polling',
      reason: 'TELEGRAM_UPDATES=polling',
    });
  });
});

describe('the webhook secret', () => {
  it('should be the same for the same SECRET_KEY and bot token, and differ when either changes', () => {
    const secret = telegramWebhookSecret('k'.repeat(40), '1:abc');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(telegramWebhookSecret('k'.repeat(40), '1:abc')).toBe(secret);
    expect(telegramWebhookSecret('j'.repeat(40), '1:abc')).not.toBe(secret);
    expect(telegramWebhookSecret('k'.repeat(40), '1:abd')).not.toBe(secret);
  });

  it('should match only the exact secret', () => {
    const secret = telegramWebhookSecret('k'.repeat(40), '1:abc');
    expect(webhookSecretMatches(secret, secret)).toBe(true);
    for (const wrong of [undefined, '', secret.slice(1), `${secret} `, secret.toUpperCase()])
      expect(webhookSecretMatches(wrong, secret)).toBe(false);
  });
});
