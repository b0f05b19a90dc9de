import { ConfigError } from '../../../config/config';

export type TelegramUpdatesSetting = 'auto' | 'webhook' | 'polling';
export type TelegramUpdatesMode = { mode: 'webhook'; url: string } | { mode: 'polling'; reason: string };

// Where Telegram posts updates, under the api's public base (the route is mounted under /api)
export const TELEGRAM_WEBHOOK_PATH = '/webhook/telegram';
// setWebhook accepts https URLs on these ports only
const WEBHOOK_PORTS = ['443', '80', '88', '8443'];

// Why Telegram would refuse PUBLIC_BASE_URL as a webhook base, or null when it would take it
export function webhookBaseProblem(publicBaseUrl: string): string | null {
  const url = new URL(publicBaseUrl);
  if (url.protocol !== 'https:') return `PUBLIC_BASE_URL (${url.origin}) is not https`;
  if (!WEBHOOK_PORTS.includes(url.port || '443'))
    return `PUBLIC_BASE_URL uses port ${url.port}; Telegram posts only to ports ${WEBHOOK_PORTS.join(', ')}`;
  return null;
}

// auto: a webhook when PUBLIC_BASE_URL can be one, else long polling. webhook: refuses to start when it cannot be.
export function telegramUpdatesMode(setting: TelegramUpdatesSetting, publicBaseUrl: string): TelegramUpdatesMode {
  if (setting === 'polling') return { mode: 'polling', reason: 'TELEGRAM_UPDATES=polling' };
  const problem = webhookBaseProblem(publicBaseUrl);
  if (problem && setting === 'webhook') {
    throw new ConfigError(
      `Invalid configuration:\n  TELEGRAM_UPDATES: webhook needs an https PUBLIC_BASE_URL on port 443, 80, 88 or 8443 (${problem})`,
    );
  }
  if (problem) return { mode: 'polling', reason: problem };
  return { mode: 'webhook', url: `${publicBaseUrl.replace(/\/+$/, '')}/api${TELEGRAM_WEBHOOK_PATH}` };
}
