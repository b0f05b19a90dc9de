import { FakeSmtp } from './harness/fake-smtp';
import { FakeTelegram, TEST_BOT_TOKEN } from './harness/fake-telegram';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register } from './harness/graphql-client';
import { linkEmail, linkTelegram, notificationEnv, notificationLog, setPreferences } from './harness/notifications-kit';
import { createAndDeploy, executionByAlert, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Each test waits on real deliveries (one message a second per chat, retry backoff): jest's 5 s default is too short under load
jest.setTimeout(30_000);

// Indian grouping of a decimal string, written out here independently of the api's formatter
function inr(value: string): string {
  const [i, f = ''] = Math.abs(Number(value)).toFixed(2).split('.');
  const grouped = i.length <= 3 ? i : `${i.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${i.slice(-3)}`;
  return `${Number(value) < 0 ? '-' : ''}₹${grouped}.${f}`;
}

describe('notifications of order events', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let smtp: FakeSmtp;
  let chat = 7000;
  const nextChat = () => String((chat += 1));
  const trader = async (name: string) => {
    const session = await register(api.url, `${name}@example.com`);
    const chatId = nextChat();
    const channelId = await linkTelegram(api.url, session.accessToken, telegram, chatId);
    return { session, token: session.accessToken, chatId, channelId };
  };

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    smtp = await FakeSmtp.start();
    api = await startTestApi(notificationEnv(telegram, smtp));
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
    await smtp.close();
  });

  it('should send a fill on Telegram and by email with side, quantity, price, charges, P&L, IST time and a link', async () => {
    const t = await trader('fills');
    await linkEmail(api.url, t.token, smtp, 'fills@example.com');
    const strategy = await createAndDeploy(api.url, t.token, {
      name: 'Nifty <Momentum> & Co',
      symbol: 'RELIANCE',
      qty: 1000,
      alertsPerMinute: 1000,
    });
    const buy = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1000,
      price: 2500,
    });
    const bought = await waitForStatus(api.url, t.token, buy.body.alert_id, ['FILLED']);
    const text = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Filled: BUY'));
    expect(text.split('\n')).toEqual([
      'Filled: BUY 1,000 RELIANCE @ ₹2,501.25',
      'Strategy: Nifty <Momentum> & Co (PAPER)',
      `Charges: ${inr(bought.charges)}`,
      'Position: 1,000 @ ₹2,501.25',
      expect.stringMatching(/^Time: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d{2}:\d{2} (am|pm) IST$/),
      `http://web.test/executions/${bought.id}`,
    ]);
    const mail = await smtp.waitFor('fills@example.com', (m) => m.subject.startsWith('[AlgoDatta] Filled: BUY'));
    expect(mail.subject).toBe('[AlgoDatta] Filled: BUY 1,000 RELIANCE @ ₹2,501.25');
    expect(mail.text).toContain('Strategy: Nifty <Momentum> & Co (PAPER)');
    // The HTML part escapes what came from the user, and links to the execution
    expect(mail.html).toContain('Strategy: Nifty &lt;Momentum&gt; &amp; Co (PAPER)');
    expect(mail.html).toContain(`<a href="http://web.test/executions/${bought.id}">`);

    const sell = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'EXIT',
      price: 2600,
    });
    const sold = await waitForStatus(api.url, t.token, sell.body.alert_id, ['FILLED']);
    const exit = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Filled: EXIT'));
    expect(exit).toContain(`Filled: EXIT (SELL 1,000) RELIANCE @ ${inr(sold.avgFillPrice)}`);
    expect(exit).toContain(`P&L (net of charges): +${inr(sold.pnl)}`);
    expect(Number(sold.pnl)).toBeGreaterThan(90_000);
    expect(exit).toContain('Position: flat');
    // Not in the defaults: alerts received and orders placed
    expect(telegram.sent(t.chatId).filter((m) => /^(Alert received|Order placed)/.test(m.text))).toEqual([]);
    // Nothing secret in any message
    for (const m of [...telegram.sent(), ...smtp.mails.map((x) => ({ text: `${x.text}${x.html}` }))]) {
      expect(m.text).not.toContain(strategy.secret);
      expect(m.text).not.toContain(TEST_BOT_TOKEN);
    }
  });

  it('should send a rejection with its reason', async () => {
    const t = await trader('rejections');
    const strategy = await createAndDeploy(api.url, t.token, { symbol: 'TCS', maxQtyPerOrder: 5 });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 10,
      price: 4000,
    });
    expect(reply.status).toBe(422);
    const text = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Rejected'));
    const execution = await executionByAlert(api.url, t.token, reply.body.alert_id);
    expect(text.split('\n')).toEqual([
      'Rejected: BUY 10 TCS',
      'Strategy: Test strategy (PAPER)',
      'Reason: risk_limit (quantity 10 is above the maximum 5 per order)',
      expect.stringMatching(/^Time: .* IST$/),
      `http://web.test/executions/${execution.id}`,
    ]);
  });

  it('should tell the trader an alert awaits approval (on by default), with a link to approve it', async () => {
    const t = await trader('approvals');
    const strategy = await createAndDeploy(api.url, t.token, {
      symbol: 'INFY',
      requireApproval: true,
      approvalTimeoutMinutes: 7,
    });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 2,
      price: 1500,
    });
    expect(reply.status).toBe(202);
    const text = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Approval needed'));
    const execution = await waitForStatus(api.url, t.token, reply.body.alert_id, ['AWAITING_APPROVAL']);
    expect(text.split('\n')).toEqual([
      'Approval needed: BUY 2 INFY',
      'Strategy: Test strategy (PAPER)',
      'Approve or reject it on the execution page within 7 min, or it expires.',
      expect.stringMatching(/^Time: .* IST$/),
      `http://web.test/executions/${execution.id}`,
    ]);
  });

  it('should honour an opt-out and a per-strategy list that overrides the default', async () => {
    const t = await trader('prefs-delivery');
    const quiet = await createAndDeploy(api.url, t.token, { name: 'Quiet', symbol: 'INFY' });
    const loud = await createAndDeploy(api.url, t.token, { name: 'Loud', symbol: 'WIPRO' });
    await setPreferences(api.url, t.token, []);
    await setPreferences(api.url, t.token, ['ORDER_FILLED', 'ALERT_RECEIVED'], loud.id);
    const q = await postAlert(api.url, {
      secret: quiet.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 1500,
    });
    await waitForStatus(api.url, t.token, q.body.alert_id, ['FILLED']);
    const l = await postAlert(api.url, {
      secret: loud.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 500,
    });
    await waitForStatus(api.url, t.token, l.body.alert_id, ['FILLED']);
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Filled: BUY 1 WIPRO'));
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Alert received: BUY 1 WIPRO @ ₹500.00'));
    // The quiet strategy's fill was recorded first; nothing was written or sent for it
    const log = await notificationLog(api.url, t.token);
    expect(log.filter((n) => n.text.includes('INFY'))).toEqual([]);
    expect(telegram.sent(t.chatId).filter((m) => m.text.includes('INFY'))).toEqual([]);
  });

  it('should retry a 5xx with backoff until Telegram takes it', async () => {
    const t = await trader('retry-5xx');
    const before = telegram.attempts(t.chatId).length;
    telegram.failNext('sendMessage', 502, {}, 2);
    await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id: t.channelId }, t.token);
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Test notification'));
    const attempts = telegram.attempts(t.chatId).slice(before);
    expect(attempts).toHaveLength(3);
    // NOTIFY_RETRY_BASE_MS=200, doubling, +-20% jitter (and never more often than once a second per chat)
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(900);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(900);
    const [row] = await notificationLog(api.url, t.token, 1);
    expect(row).toMatchObject({ event: 'TEST', status: 'SENT', attempts: 3, lastError: null });
  });

  it('should wait for retry_after on a 429', async () => {
    const t = await trader('retry-429');
    const before = telegram.attempts(t.chatId).length;
    telegram.failNext('sendMessage', 429, { parameters: { retry_after: 3 } });
    await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id: t.channelId }, t.token);
    const pending = await waitFor(
      async () => (await notificationLog(api.url, t.token, 1)).find((n) => n.attempts === 1),
      5000,
      'the first attempt',
    );
    expect(pending).toMatchObject({ status: 'PENDING', lastError: expect.stringContaining('429') });
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Test notification'), 10_000);
    const attempts = telegram.attempts(t.chatId).slice(before);
    expect(attempts).toHaveLength(2);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(2900);
  }, 20_000);

  it('should unverify a chat that blocked the bot (403) and stop sending to it', async () => {
    const t = await trader('blocked');
    const strategy = await createAndDeploy(api.url, t.token, { symbol: 'SBIN', alertsPerMinute: 1000 });
    telegram.failNext('sendMessage', 403);
    const first = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 600,
    });
    await waitForStatus(api.url, t.token, first.body.alert_id, ['FILLED']);
    const failed = await waitFor(
      async () =>
        (await notificationLog(api.url, t.token)).find((n) => n.event === 'ORDER_FILLED' && n.status === 'FAILED'),
      5000,
      'the 403',
    );
    expect(failed.lastError).toMatch(/403.*blocked.*no longer verified/);
    const channels = await gql(api.url, '{ notificationChannels { id verified } }', undefined, t.token);
    expect(channels.data!.notificationChannels).toEqual([{ id: t.channelId, verified: false }]);
    const calls = telegram.attempts(t.chatId).length;
    const second = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 600,
    });
    await waitForStatus(api.url, t.token, second.body.alert_id, ['FILLED']);
    await new Promise((r) => setTimeout(r, 800));
    expect(telegram.attempts(t.chatId)).toHaveLength(calls);
    expect((await notificationLog(api.url, t.token)).filter((n) => n.event === 'ORDER_FILLED')).toHaveLength(1);
  });

  it('should turn a burst of fills into a digest, one message a second at most', async () => {
    const t = await trader('burst');
    const strategy = await createAndDeploy(api.url, t.token, { symbol: 'ITC', alertsPerMinute: 1000 });
    const before = telegram.sent(t.chatId).length;
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        postAlert(api.url, { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 1, price: 400 }),
      ),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    const log = await waitFor(
      async () => {
        const rows = (await notificationLog(api.url, t.token)).filter((n) => n.event === 'ORDER_FILLED');
        return rows.length === 30 && rows.every((n) => n.status === 'SENT') ? rows : undefined;
      },
      15_000,
      '30 fills sent',
    );
    expect(log).toHaveLength(30);
    const messages = telegram.sent(t.chatId).slice(before);
    expect(messages.length).toBeLessThanOrEqual(6);
    const digest = messages.find((m) => /^\d+ notifications\n/.test(m.text));
    expect(digest?.text).toMatch(/^\d+ notifications\n\d+ order filled\n\n- Filled: BUY 1 ITC @ ₹400\.20\n/);
    for (let i = 1; i < messages.length; i += 1)
      expect(messages[i].at - messages[i - 1].at).toBeGreaterThanOrEqual(950);
  }, 30_000);

  it('should fill an order while Telegram is down, and deliver its notification once Telegram is back', async () => {
    const t = await trader('down');
    const strategy = await createAndDeploy(api.url, t.token, { symbol: 'LT' });
    telegram.downWith = 502;
    try {
      const started = Date.now();
      const reply = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 2,
        price: 3500,
      });
      expect(reply.status).toBe(202);
      await waitForStatus(api.url, t.token, reply.body.alert_id, ['FILLED'], 3000);
      expect(Date.now() - started).toBeLessThan(3000);
      const pending = await waitFor(
        async () =>
          (await notificationLog(api.url, t.token)).find((n) => n.event === 'ORDER_FILLED' && n.attempts >= 1),
        5000,
        'a failed attempt',
      );
      expect(pending).toMatchObject({ status: 'PENDING', lastError: expect.stringContaining('502') });
    } finally {
      telegram.downWith = undefined;
    }
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Filled: BUY 2 LT'), 10_000);
    const [row] = (await notificationLog(api.url, t.token)).filter((n) => n.event === 'ORDER_FILLED');
    expect(row.status).toBe('SENT');
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('should tell a trader their strategy was disabled by the daily loss limit, and that their broker token expired (without the token)', async () => {
    const t = await trader('guards');
    const strategy = await createAndDeploy(api.url, t.token, { name: 'Tight', symbol: 'HINDUNILVR', maxDailyLoss: 1 });
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 10,
      price: 2400,
    });
    await waitForStatus(api.url, t.token, reply.body.alert_id, ['FILLED']);
    const disabled = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Tight disabled'));
    expect(disabled).toMatch(
      /^Tight disabled: daily loss limit reached\nToday's realized P&L is -₹\d+\.\d{2}, at or below the limit of -₹1\.00\.\nNew alerts are rejected until you enable the strategy again\./,
    );

    const em = api.db.orm.em.fork();
    await em.getConnection().execute(
      `insert into broker_accounts (id, created_at, updated_at, user_id, broker, status, client_id_enc, client_id_masked, connected_at)
      values (gen_random_uuid(), now(), now(), ?, 'dhan', 'CONNECTED', ?, '****1234', now())`,
      [t.session.user.id, api.services.box.encrypt('C-1234')],
    );
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(
      await api.services.brokerAccounts.markExpired(t.session.user.id, 'dhan', `DH-901: token invalid (Bearer ${jwt})`),
    ).toBe(true);
    const expired = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Your dhan access token has expired'));
    expect(expired).toContain('dhan refused the stored access token (DH-901: token invalid (Bearer ***)).');
    expect(expired).not.toContain(jwt);
  });

  it('should tell every trader when the kill switch goes on and off', async () => {
    const t = await trader('killswitch');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    try {
      await gql(api.url, 'mutation { setKillSwitch(enabled: true) }', undefined, admin.accessToken);
      const on = await telegram.waitForSent(t.chatId, (m) => m.startsWith('Kill switch ON'));
      expect(on).toContain('new alerts are rejected and open orders are being cancelled');
      expect(on).not.toContain(ADMIN.email);
    } finally {
      await gql(api.url, 'mutation { setKillSwitch(enabled: false) }', undefined, admin.accessToken);
    }
    await telegram.waitForSent(t.chatId, (m) => m.startsWith('Kill switch off'));
  });
});
