import type { FakeSmtp } from './fake-smtp';
import { FakeTelegram, TEST_BOT_TOKEN } from './fake-telegram';
import { gql } from './graphql-client';

// The settings every notifications test runs with: the fake Telegram and SMTP servers, quick rounds and retries
export function notificationEnv(
  telegram: FakeTelegram,
  smtp?: FakeSmtp,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_BASE: telegram.url,
    TELEGRAM_POLL_TIMEOUT_SECONDS: '1',
    ...(smtp && { SMTP_URL: smtp.url }),
    EMAIL_FROM: 'AlgoDatta <alerts@algodatta.test>',
    WEB_BASE_URL: 'http://web.test',
    NOTIFY_POLL_MS: '100',
    NOTIFY_RETRY_BASE_MS: '200',
    ...extra,
  };
}

export const CHANNEL_FIELDS = 'id kind target verified createdAt';
export const NOTIFICATION_FIELDS = 'id event channelId status attempts lastError text subject createdAt sentAt';

export async function addChannel(url: string, token: string, kind: 'TELEGRAM' | 'EMAIL', target: string) {
  return gql(
    url,
    `mutation($i: NotificationChannelInput!) { addNotificationChannel(input: $i) { ${CHANNEL_FIELDS} } }`,
    { i: { kind, target } },
    token,
  );
}

export async function verifyChannel(url: string, token: string, id: string, code: string) {
  return gql(
    url,
    `mutation($id: ID!, $code: String!) { verifyNotificationChannel(id: $id, code: $code) { ${CHANNEL_FIELDS} } }`,
    { id, code },
    token,
  );
}

export const codeIn = (text: string): string => /\b(\d{6})\b/.exec(text)![1];

// Adds a Telegram chat and enters the code the fake server received for it
export async function linkTelegram(
  url: string,
  token: string,
  telegram: FakeTelegram,
  chatId: string,
): Promise<string> {
  const added = await addChannel(url, token, 'TELEGRAM', chatId);
  if (!added.data) throw new Error(`addNotificationChannel failed: ${JSON.stringify(added.errors)}`);
  const text = await telegram.waitForSent(chatId, (t) => t.includes('verification code'));
  const verified = await verifyChannel(url, token, added.data.addNotificationChannel.id, codeIn(text));
  if (!verified.data) throw new Error(`verifyNotificationChannel failed: ${JSON.stringify(verified.errors)}`);
  return added.data.addNotificationChannel.id;
}

export async function linkEmail(url: string, token: string, smtp: FakeSmtp, address: string): Promise<string> {
  const added = await addChannel(url, token, 'EMAIL', address);
  if (!added.data) throw new Error(`addNotificationChannel failed: ${JSON.stringify(added.errors)}`);
  const mail = await smtp.waitFor(address, (m) => m.subject.includes('verification code'));
  const verified = await verifyChannel(url, token, added.data.addNotificationChannel.id, codeIn(mail.text));
  if (!verified.data) throw new Error(`verifyNotificationChannel failed: ${JSON.stringify(verified.errors)}`);
  return added.data.addNotificationChannel.id;
}

export async function notificationLog(url: string, token: string, first = 200): Promise<any[]> {
  const res = await gql(
    url,
    `query($n: Int) { notifications(first: $n) { edges { node { ${NOTIFICATION_FIELDS} } } } }`,
    { n: first },
    token,
  );
  if (!res.data) throw new Error(`notifications failed: ${JSON.stringify(res.errors)}`);
  return res.data.notifications.edges.map((e: { node: unknown }) => e.node);
}

export async function setPreferences(url: string, token: string, events: string[], strategyId?: string) {
  return gql(
    url,
    'mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { strategyId events } }',
    { i: { strategyId: strategyId ?? null, events } },
    token,
  );
}
