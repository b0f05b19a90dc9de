import { FakeTelegram, TEST_BOT_TOKEN } from './harness/fake-telegram';
import { gql, register, Session } from './harness/graphql-client';
import { linkTelegram, notificationEnv } from './harness/notifications-kit';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';
import { startApiOn, startTestApi, TEST_SECRET_KEY, TestApi } from './harness/test-api';
import { telegramWebhookSecret } from '../src/modules/notifications/telegram/telegram-webhook-secret';

// Real deliveries (the fake Bot API posts to the api like Telegram does) and real retries: more than jest's 5 s
jest.setTimeout(30_000);

const PUBLIC = 'https://algo.example.test';
const WEBHOOK_URL = `${PUBLIC}/api/webhook/telegram`;
const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// An update as Telegram would post it
const message = (updateId: number, chatId: string, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    chat: { id: Number(chatId), type: 'private' },
    from: { id: Number(chatId) },
    date: Math.floor(Date.now() / 1000),
    text,
  },
});

async function post(url: string, body: unknown, secret?: string, contentType = 'application/json') {
  const res = await fetch(`${url}/api/webhook/telegram`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': contentType, ...(secret !== undefined && { [SECRET_HEADER]: secret }) },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe('the Telegram bot in webhook mode (PUBLIC_BASE_URL is https)', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let trader: Session;
  let strategy: Deployed;
  let secret: string;
  const CHAT = '8101';
  const STRANGER = '8199';
  const env = () => notificationEnv(telegram, undefined, { PUBLIC_BASE_URL: PUBLIC });

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    api = await startTestApi(env());
    telegram.deliverWebhooksTo(api.url);
    const registered = await waitFor(async () => telegram.callsOf('setWebhook')[0], 5000, 'setWebhook');
    secret = registered.body.secret_token;
    trader = await register(api.url, 'hook@example.com');
    await linkTelegram(api.url, trader.accessToken, telegram, CHAT);
    strategy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Hooked',
      symbol: 'INFY',
      qty: 2,
      alertsPerMinute: 1000,
    });
    const buy = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 2,
      price: 1500,
    });
    await waitForStatus(api.url, trader.accessToken, buy.body.alert_id, ['FILLED']);
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  // Notifications reach the same chat at their own pace; an answer is any other message
  const notification = (t: string) =>
    /^(Filled|Partly filled|Rejected|Error|Order failed|Alert received|Order placed): /.test(t);
  const answersAfter = (chatId: string, before: number) =>
    telegram
      .sent(chatId)
      .slice(before)
      .filter((m) => !notification(m.text));
  // The bot's answer in the chat after `before` messages there
  const replyAfter = (chatId: string, before: number, what: string, match: (t: string) => boolean = () => true) =>
    waitFor(async () => answersAfter(chatId, before).find((m) => match(m.text)), 8000, what);

  it('should register <PUBLIC_BASE_URL>/api/webhook/telegram with a secret instead of polling', async () => {
    const [call] = telegram.callsOf('setWebhook');
    expect(call.body).toEqual({
      url: WEBHOOK_URL,
      secret_token: secret,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: false,
    });
    // Telegram's alphabet, and long enough not to be guessed (base64url of 32 bytes)
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
    expect(telegram.webhook?.url).toBe(WEBHOOK_URL);
    await sleep(300);
    expect(telegram.callsOf('getUpdates')).toEqual([]);
    expect(telegram.callsOf('deleteWebhook')).toEqual([]);
  });

  it('should run the commands Telegram delivers to the route', async () => {
    const before = telegram.sent(CHAT).length;
    const updateId = telegram.pushMessage(CHAT, '/status');
    const status = await replyAfter(CHAT, before, 'the /status answer', (t) => t.includes('Today:'));
    expect(status.text).toMatch(
      /^INFY \(Hooked, PAPER\): 2 @ ₹1,500\.\d{2}, unrealized [+-]?₹[\d,]+\.\d{2}\nToday: 1 trades, realized P&L -₹\d+\.\d{2} \(net of charges\)$/,
    );
    expect(telegram.deliveries.filter((d) => d.updateId === updateId)).toEqual([
      { updateId, status: 200, at: expect.any(Number) },
    ]);
    // A stranger still learns only its chat id
    const strangerId = telegram.pushMessage(STRANGER, '/strategies');
    const stranger = await replyAfter(STRANGER, 0, 'the stranger answer');
    expect(stranger.text).toMatch(/^This chat is not linked to an AlgoDatta account\. Its chat id is 8199:/);
    expect(telegram.deliveries.find((d) => d.updateId === strangerId)?.status).toBe(200);
  });

  it('should flatten after the confirm button arrives as a callback_query, once', async () => {
    let before = telegram.sent(CHAT).length;
    telegram.pushMessage(CHAT, '/flatten Hooked');
    const question = await replyAfter(CHAT, before, 'the confirm question', (t) => t.startsWith('Flatten Hooked?'));
    expect(question.text).toBe('Flatten Hooked? This sends an EXIT for INFY (2).');
    const confirm = question.replyMarkup.inline_keyboard[0][0].callback_data as string;
    before = telegram.sent(CHAT).length;
    const callbackId = telegram.pushCallback(CHAT, confirm, question.text);
    const done = await replyAfter(CHAT, before, 'the flatten answer', (t) => t.startsWith('Flatten Hooked:'));
    expect(done.text).toMatch(/^Flatten Hooked:\nEXIT INFY sent: http:\/\/web\.test\/executions\/[0-9a-f-]{36}$/);
    expect(telegram.callsOf('answerCallbackQuery').map((c) => c.body.callback_query_id)).toContain(callbackId);
    await waitFor(
      async () =>
        (await gql(api.url, '{ positions { qty } }', undefined, trader.accessToken)).data!.positions[0].qty === '0',
      8000,
      'the position to close',
    );
    const executions = await gql(api.url, '{ executions { totalCount } }', undefined, trader.accessToken);
    expect(executions.data!.executions.totalCount).toBe(2);
    await telegram.waitForSent(CHAT, (t) => t.startsWith('Filled: EXIT (SELL 2) INFY'));
  });

  it('should answer 401 and run nothing when the secret is wrong or missing', async () => {
    const before = telegram.sent(CHAT).length;
    const update = message(900_001, CHAT, '/strategies');
    const wrongs = [undefined, '', `${secret.slice(0, -1)}x`, 'short', `${secret}x`];
    for (const wrong of wrongs) {
      const res = await post(api.url, update, wrong);
      expect({ wrong, status: res.status, body: res.body }).toEqual({
        wrong,
        status: 401,
        body: { error: 'unauthorized' },
      });
    }
    // The bot token is not the secret either
    expect((await post(api.url, update, TEST_BOT_TOKEN)).status).toBe(401);
    await sleep(500);
    expect(answersAfter(CHAT, before)).toEqual([]);
    // None of them claimed the update: with the right secret it runs
    const ok = await post(api.url, update, secret);
    expect(ok).toEqual({ status: 200, body: { status: 'accepted' } });
    expect((await replyAfter(CHAT, before, 'the /strategies answer')).text).toBe('Hooked: INFY, PAPER, active');
  });

  it('should run a redelivered update once, in this process or another', async () => {
    let before = telegram.sent(CHAT).length;
    const update = message(900_002, CHAT, '/pause Hooked');
    // Telegram retries a delivery that got no 200: twice at once and once after
    const [a, b] = await Promise.all([post(api.url, update, secret), post(api.url, update, secret)]);
    expect([a.body.status, b.body.status].sort()).toEqual(['accepted', 'duplicate']);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await replyAfter(CHAT, before, 'the /pause answer')).text).toBe(
      'Paused Hooked: its new alerts are rejected (strategy_disabled).',
    );
    expect(await post(api.url, update, secret)).toEqual({ status: 200, body: { status: 'duplicate' } });

    // A second api process on the same database registers the same webhook and secret, and knows the update ran
    const second = await startApiOn(api.dbName, env());
    try {
      await waitFor(async () => telegram.callsOf('setWebhook')[1], 5000, 'the second setWebhook');
      expect(telegram.callsOf('setWebhook')[1].body).toEqual(telegram.callsOf('setWebhook')[0].body);
      expect(await post(second.url, update, secret)).toEqual({ status: 200, body: { status: 'duplicate' } });
      await sleep(500);
      expect(
        telegram
          .sent(CHAT)
          .slice(before)
          .filter((m) => m.text.startsWith('Paused')),
      ).toHaveLength(1);
      // A new update to the second process runs there
      before = telegram.sent(CHAT).length;
      expect(await post(second.url, message(900_003, CHAT, '/resume Hooked'), secret)).toEqual({
        status: 200,
        body: { status: 'accepted' },
      });
      expect((await replyAfter(CHAT, before, 'the /resume answer')).text).toBe(
        'Resumed Hooked: its alerts are accepted again.',
      );
      expect(await post(api.url, message(900_003, CHAT, '/resume Hooked'), secret)).toEqual({
        status: 200,
        body: { status: 'duplicate' },
      });
    } finally {
      await second.stop();
    }
    const strategies = await gql(api.url, '{ strategies { enabled } }', undefined, trader.accessToken);
    expect(strategies.data!.strategies[0].enabled).toBe(true);
  });

  it('should refuse an oversized body (413) and a body that is not an update (400), running nothing', async () => {
    const before = telegram.sent(CHAT).length;
    const huge = message(900_004, CHAT, '/status');
    huge.message.text = `/status ${'x'.repeat(300 * 1024)}`;
    expect(await post(api.url, huge, secret)).toEqual({ status: 413, body: { error: 'payload_too_large' } });
    expect((await post(api.url, '{"update_id":', secret)).status).toBe(400);
    expect((await post(api.url, { message: message(1, CHAT, '/status').message }, secret)).status).toBe(400);
    expect((await post(api.url, { update_id: -1 }, secret)).status).toBe(400);
    expect((await post(api.url, [message(900_005, CHAT, '/status')], secret)).status).toBe(400);
    await sleep(500);
    expect(answersAfter(CHAT, before)).toEqual([]);
    // The oversized update was not claimed: a delivery within the limit runs
    expect(await post(api.url, message(900_004, CHAT, '/help'), secret)).toEqual({
      status: 200,
      body: { status: 'accepted' },
    });
    expect((await replyAfter(CHAT, before, 'the /help answer')).text).toMatch(/^Linked to hook@example\.com\./);
  });

  it("should not hold one chat behind another chat's burst, and drop a flood beyond 20 waiting", async () => {
    const FLOOD = '8150';
    const OTHER = '8151';
    // Each answer to the flooding chat takes a second to go out
    telegram.slowSendsTo(FLOOD, 1000);
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => post(api.url, message(910_000 + i, FLOOD, '/start'), secret)),
    );
    const counts = answers.reduce<Record<string, number>>(
      (c, a) => ({ ...c, [`${a.status} ${a.body.status}`]: (c[`${a.status} ${a.body.status}`] ?? 0) + 1 }),
      {},
    );
    // The first is being answered, 19 wait behind it, and the rest are answered 200 (Telegram must not retry them) and dropped
    expect(counts).toEqual({ '200 accepted': 20, '200 dropped': 5 });
    const started = Date.now();
    expect(await post(api.url, message(910_100, OTHER, '/start'), secret)).toEqual({
      status: 200,
      body: { status: 'accepted' },
    });
    await telegram.waitForSent(OTHER);
    expect(Date.now() - started).toBeLessThan(2000);
    // The flooding chat's answers come one at a time, in order
    expect(telegram.sent(FLOOD).length).toBeLessThanOrEqual(2);
  });
});

describe('the Telegram bot when it polls', () => {
  let telegram: FakeTelegram;
  let api: TestApi | undefined;
  const STRANGER = '8299';

  beforeEach(async () => {
    telegram = await FakeTelegram.start();
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    await telegram.close();
  });

  // The bot answers a stranger's /start through getUpdates: polling works
  async function expectPolling(): Promise<void> {
    telegram.pushMessage(STRANGER, '/start');
    const answer = await telegram.waitForSent(STRANGER);
    expect(answer).toMatch(/^This chat is not linked/);
    expect(telegram.callsOf('getUpdates').length).toBeGreaterThan(0);
  }

  it('should delete a webhook left from webhook mode before polling when PUBLIC_BASE_URL is http', async () => {
    // Set by an earlier run in webhook mode: Telegram answers getUpdates 409 until it is gone
    telegram.webhook = { url: WEBHOOK_URL, secret_token: 'old' };
    api = await startTestApi(notificationEnv(telegram, undefined, { PUBLIC_BASE_URL: 'http://algo.example.test' }));
    await expectPolling();
    const methods = telegram.calls.map((c) => c.method).filter((m) => /Webhook|getUpdates/.test(m));
    expect(methods.slice(0, 2)).toEqual(['deleteWebhook', 'getUpdates']);
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(1);
    expect(telegram.callsOf('deleteWebhook')[0].body).toEqual({ drop_pending_updates: false });
    expect(telegram.callsOf('setWebhook')).toEqual([]);
    // The route still takes a delivery with the right secret (a straggler of the switch), and nothing without
    expect((await post(api.url, message(700_001, '8298', '/start'))).status).toBe(401);
    const secret = telegramWebhookSecret(TEST_SECRET_KEY, TEST_BOT_TOKEN);
    expect(await post(api.url, message(700_001, '8298', '/start'), secret)).toEqual({
      status: 200,
      body: { status: 'accepted' },
    });
    expect(await telegram.waitForSent('8298')).toMatch(/^This chat is not linked/);
  });

  it('should keep trying deleteWebhook until Telegram takes it, then poll', async () => {
    telegram.webhook = { url: WEBHOOK_URL };
    telegram.failNext('deleteWebhook', 502);
    api = await startTestApi(notificationEnv(telegram, undefined, { PUBLIC_BASE_URL: 'http://algo.example.test' }));
    await expectPolling();
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(2);
  });

  it.each([
    ['TELEGRAM_UPDATES=polling', { PUBLIC_BASE_URL: PUBLIC, TELEGRAM_UPDATES: 'polling' }],
    ['https on a port Telegram does not post to', { PUBLIC_BASE_URL: 'https://algo.example.test:4443' }],
  ])('should poll with %s', async (_, extra) => {
    api = await startTestApi(notificationEnv(telegram, undefined, extra));
    await expectPolling();
    expect(telegram.callsOf('setWebhook')).toEqual([]);
  });

  it('should poll when Telegram refuses the webhook URL (400) in auto mode', async () => {
    telegram.failNext('setWebhook', 400, {
      description: 'Bad Request: bad webhook: Failed to resolve host: Name or service not known',
    });
    api = await startTestApi(notificationEnv(telegram, undefined, { PUBLIC_BASE_URL: PUBLIC }));
    await expectPolling();
    expect(telegram.callsOf('setWebhook')).toHaveLength(1);
  });

  it('should retry setWebhook on 5xx and 429 until Telegram takes it', async () => {
    telegram.failNext('setWebhook', 502);
    telegram.failNext('setWebhook', 429, { parameters: { retry_after: 1 } });
    api = await startTestApi(
      notificationEnv(telegram, undefined, { PUBLIC_BASE_URL: PUBLIC, TELEGRAM_UPDATES: 'webhook' }),
    );
    await waitFor(async () => telegram.webhook, 8000, 'the webhook');
    const calls = telegram.callsOf('setWebhook');
    expect(calls).toHaveLength(3);
    // retry_after (1 s) was honoured
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(950);
    expect(telegram.callsOf('getUpdates')).toEqual([]);
  });

  it('should refuse to start with TELEGRAM_UPDATES=webhook and a PUBLIC_BASE_URL Telegram cannot post to', async () => {
    await expect(
      startTestApi(
        notificationEnv(telegram, undefined, {
          PUBLIC_BASE_URL: 'http://algo.example.test',
          TELEGRAM_UPDATES: 'webhook',
        }),
      ),
    ).rejects.toThrow(
      /TELEGRAM_UPDATES: webhook needs an https PUBLIC_BASE_URL on port 443, 80, 88 or 8443 \(PUBLIC_BASE_URL \(http:\/\/algo\.example\.test\) is not https\)/,
    );
  });
});
