import { FakeSmtp } from './harness/fake-smtp';
import { FakeTelegram } from './harness/fake-telegram';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import {
  addChannel,
  CHANNEL_FIELDS,
  codeIn,
  linkEmail,
  linkTelegram,
  notificationEnv,
  notificationLog,
  setPreferences,
  verifyChannel,
} from './harness/notifications-kit';
import { createAndDeploy, waitFor } from './harness/pipeline';
import { startTestApi, TestApi } from './harness/test-api';

// Each test waits on real deliveries (one message a second per chat, retry backoff): jest's 5 s default is too short under load
jest.setTimeout(30_000);

describe('notification channels and preferences', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let smtp: FakeSmtp;
  let trader: Session;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    smtp = await FakeSmtp.start();
    api = await startTestApi(notificationEnv(telegram, smtp));
    trader = await register(api.url, 'channels@example.com');
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
    await smtp.close();
  });

  it('should send a 6-digit code through a new Telegram chat and verify the channel only with that code', async () => {
    const added = await addChannel(api.url, trader.accessToken, 'TELEGRAM', '5001');
    expect(added.data!.addNotificationChannel).toMatchObject({ kind: 'TELEGRAM', target: '5001', verified: false });
    const id = added.data!.addNotificationChannel.id;
    const text = await telegram.waitForSent('5001', (t) => t.includes('verification code'));
    const code = codeIn(text);
    expect(code).toMatch(/^\d{6}$/);
    // The code never shows in the delivery log (anyone who can read the log could then verify a stranger's chat)
    expect(JSON.stringify(await notificationLog(api.url, trader.accessToken))).not.toContain(code);

    const wrong = await verifyChannel(api.url, trader.accessToken, id, code === '000000' ? '111111' : '000000');
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    const notDigits = await verifyChannel(api.url, trader.accessToken, id, 'abcdef');
    expect(errorCode(notDigits)).toBe('BAD_USER_INPUT');
    const ok = await verifyChannel(api.url, trader.accessToken, id, code);
    expect(ok.data!.verifyNotificationChannel).toMatchObject({ id, verified: true });
    const list = await gql(api.url, `{ notificationChannels { ${CHANNEL_FIELDS} } }`, undefined, trader.accessToken);
    expect(list.data!.notificationChannels).toEqual([
      expect.objectContaining({ id, kind: 'TELEGRAM', target: '5001', verified: true }),
    ]);
  });

  it('should end a code after five wrong guesses, and expire it', async () => {
    const added = await addChannel(api.url, trader.accessToken, 'TELEGRAM', '5002');
    const id = added.data!.addNotificationChannel.id;
    const code = codeIn(await telegram.waitForSent('5002', (t) => t.includes('verification code')));
    const wrongCode = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i += 1)
      expect(errorCode(await verifyChannel(api.url, trader.accessToken, id, wrongCode))).toBe('BAD_USER_INPUT');
    const late = await verifyChannel(api.url, trader.accessToken, id, code);
    expect(errorCode(late)).toBe('BAD_USER_INPUT');
    expect(late.errors![0].message).toMatch(/Too many wrong codes/);

    // Adding it again sends a new code; a code past its time is refused
    await addChannel(api.url, trader.accessToken, 'TELEGRAM', '5002');
    const second = codeIn(
      await telegram.waitForSent('5002', (t) => t.includes('verification code') && !t.includes(code)),
    );
    await api.db.orm.em
      .fork()
      .getConnection()
      .execute(`update notification_channels set code_expires_at = now() - interval '1 second' where id = ?`, [id]);
    const expired = await verifyChannel(api.url, trader.accessToken, id, second);
    expect(errorCode(expired)).toBe('BAD_USER_INPUT');
    expect(expired.errors![0].message).toMatch(/expired/);
  });

  it("should refuse a chat Telegram cannot deliver to, a malformed target, and another user's verified chat, storing nothing", async () => {
    telegram.failNext('sendMessage', 400);
    const unreachable = await addChannel(api.url, trader.accessToken, 'TELEGRAM', '5003');
    expect(errorCode(unreachable)).toBe('BAD_USER_INPUT');
    expect(unreachable.errors![0].message).toMatch(/chat not found.*\/start/);
    expect(errorCode(await addChannel(api.url, trader.accessToken, 'TELEGRAM', '@someone'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await addChannel(api.url, trader.accessToken, 'EMAIL', 'not-an-email'))).toBe('BAD_USER_INPUT');
    const list = await gql(api.url, '{ notificationChannels { target } }', undefined, trader.accessToken);
    expect(list.data!.notificationChannels.map((c: { target: string }) => c.target)).not.toContain('5003');

    const other = await register(api.url, 'channels-other@example.com');
    const taken = await addChannel(api.url, other.accessToken, 'TELEGRAM', '5001');
    expect(errorCode(taken)).toBe('CONFLICT');
  });

  it('should verify an email address with a code sent by SMTP, send a test message, and remove the channel', async () => {
    const id = await linkEmail(api.url, trader.accessToken, smtp, 'Trader@Example.com'.toLowerCase());
    const code = await smtp.waitFor('trader@example.com', (m) => m.subject.includes('verification code'));
    expect(code.from).toContain('alerts@algodatta.test');

    const test = await gql(
      api.url,
      'mutation($id: ID!) { sendTestNotification(channelId: $id) }',
      { id },
      trader.accessToken,
    );
    expect(test.data!.sendTestNotification).toBe(true);
    const mail = await smtp.waitFor('trader@example.com', (m) => m.subject === '[AlgoDatta] Test notification');
    expect(mail.text).toContain('This channel receives your AlgoDatta notifications.');
    expect(mail.html).toContain('<strong>Test notification</strong>');
    const log = await notificationLog(api.url, trader.accessToken);
    expect(log[0]).toMatchObject({
      event: 'TEST',
      channelId: id,
      status: 'SENT',
      attempts: 1,
      lastError: null,
      sentAt: expect.any(String),
    });

    const removed = await gql(
      api.url,
      'mutation($id: ID!) { removeNotificationChannel(id: $id) }',
      { id },
      trader.accessToken,
    );
    expect(removed.data!.removeNotificationChannel).toBe(true);
    expect(
      errorCode(
        await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id }, trader.accessToken),
      ),
    ).toBe('NOT_FOUND');
  });

  it("should not send a test message to an unverified channel, nor to another user's channel", async () => {
    const added = await addChannel(api.url, trader.accessToken, 'TELEGRAM', '5004');
    const id = added.data!.addNotificationChannel.id;
    expect(
      errorCode(
        await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id }, trader.accessToken),
      ),
    ).toBe('BAD_USER_INPUT');
    const other = await register(api.url, 'channels-third@example.com');
    expect(
      errorCode(
        await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id }, other.accessToken),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(api.url, 'mutation($id: ID!) { removeNotificationChannel(id: $id) }', { id }, other.accessToken),
      ),
    ).toBe('NOT_FOUND');
  });

  it('should start a new user with the default events, replace one scope at a time, and refuse what cannot be chosen', async () => {
    const fresh = await register(api.url, 'prefs@example.com');
    const initial = await gql(
      api.url,
      '{ notificationPreferences { strategyId events } }',
      undefined,
      fresh.accessToken,
    );
    expect(initial.data!.notificationPreferences).toEqual([
      {
        strategyId: null,
        events: [
          'ORDER_FILLED',
          'ORDER_REJECTED',
          'ERROR',
          'DEAD_LETTER',
          'BROKER_TOKEN_EXPIRED',
          'STRATEGY_DISABLED',
          'KILL_SWITCH',
          'BROKER_SESSION',
          'BROKER_NOT_READY',
          'AWAITING_APPROVAL',
        ],
      },
    ]);
    const strategy = await createAndDeploy(api.url, fresh.accessToken, { symbol: 'TCS' });
    await setPreferences(api.url, fresh.accessToken, ['ORDER_FILLED', 'DAILY_SUMMARY']);
    const both = await setPreferences(api.url, fresh.accessToken, ['ALERT_RECEIVED'], strategy.id);
    expect(both.data!.setNotificationPreferences).toEqual([
      { strategyId: null, events: ['ORDER_FILLED', 'DAILY_SUMMARY'] },
      { strategyId: strategy.id, events: ['ALERT_RECEIVED'] },
    ]);
    expect(errorCode(await setPreferences(api.url, fresh.accessToken, ['TEST']))).toBe('BAD_USER_INPUT');
    expect(errorCode(await setPreferences(api.url, fresh.accessToken, ['NOPE']))).toBe('BAD_USER_INPUT');
    const others = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    expect(errorCode(await setPreferences(api.url, fresh.accessToken, ['ORDER_FILLED'], others.id))).toBe('NOT_FOUND');
    const after = await gql(api.url, '{ notificationPreferences { strategyId events } }', undefined, fresh.accessToken);
    expect(after.data!.notificationPreferences).toEqual(both.data!.setNotificationPreferences);
  });

  it("should remove a strategy's own list so the default applies again, and nothing of another user's", async () => {
    const owner = await register(api.url, 'prefs-remove@example.com');
    const strategy = await createAndDeploy(api.url, owner.accessToken, { symbol: 'WIPRO' });
    await setPreferences(api.url, owner.accessToken, ['ALERT_RECEIVED'], strategy.id);
    const remove = (id: string, token = owner.accessToken) =>
      gql(
        api.url,
        'mutation($id: ID!) { removeNotificationPreferences(strategyId: $id) { strategyId events } }',
        { id },
        token,
      );
    const intruder = await register(api.url, 'prefs-intruder@example.com');
    expect(errorCode(await remove(strategy.id, intruder.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await remove('not-an-id'))).toBe('BAD_USER_INPUT');
    const removed = await remove(strategy.id);
    const defaults = [
      {
        strategyId: null,
        events: [
          'ORDER_FILLED',
          'ORDER_REJECTED',
          'ERROR',
          'DEAD_LETTER',
          'BROKER_TOKEN_EXPIRED',
          'STRATEGY_DISABLED',
          'KILL_SWITCH',
          'BROKER_SESSION',
          'BROKER_NOT_READY',
          'AWAITING_APPROVAL',
        ],
      },
    ];
    expect(removed.data!.removeNotificationPreferences).toEqual(defaults);
    // Again: nothing left to remove, the same answer
    expect((await remove(strategy.id)).data!.removeNotificationPreferences).toEqual(defaults);
    const read = await gql(api.url, '{ notificationPreferences { strategyId events } }', undefined, owner.accessToken);
    expect(read.data!.notificationPreferences).toEqual(defaults);
  });

  it('should page the delivery log newest first with an exact cursor', async () => {
    const pager = await register(api.url, 'pager@example.com');
    const id = await linkTelegram(api.url, pager.accessToken, telegram, '5005');
    // Five rows written in one statement share a millisecond: the cursor still walks them one by one
    await api.db.orm.em
      .fork()
      .getConnection()
      .execute(
        `
      insert into notifications (id, created_at, updated_at, user_id, channel_id, event_type, subject, body, status, attempts, next_attempt_at)
      select gen_random_uuid(), now() + g * interval '1 microsecond', now(), ?, ?, 'TEST', 'row ' || g, 'row ' || g, 'FAILED', 0, now()
      from generate_series(1, 5) g`,
        [pager.user.id, id],
      );
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res: any = await gql(
        api.url,
        'query($a: String) { notifications(first: 2, after: $a) { edges { cursor node { text } } pageInfo { hasNextPage endCursor } totalCount } }',
        { a: after },
        pager.accessToken,
      );
      seen.push(...res.data.notifications.edges.map((e: { node: { text: string } }) => e.node.text));
      expect(res.data.notifications.totalCount).toBe(5);
      if (!res.data.notifications.pageInfo.hasNextPage) break;
      after = res.data.notifications.pageInfo.endCursor;
    }
    expect(seen).toEqual(['row 5', 'row 4', 'row 3', 'row 2', 'row 1']);
    expect(
      errorCode(await gql(api.url, '{ notifications(after: "bogus") { totalCount } }', undefined, pager.accessToken)),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await gql(api.url, '{ notifications(first: 0) { totalCount } }', undefined, pager.accessToken)),
    ).toBe('BAD_USER_INPUT');
  });

  it('should retry an email the server refuses for now (4xx) and give up at once on a permanent refusal (5xx)', async () => {
    const mailer = await register(api.url, 'mailer@example.com');
    const id = await linkEmail(api.url, mailer.accessToken, smtp, 'mailer@example.com');
    smtp.refuseNext(451);
    await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id }, mailer.accessToken);
    await smtp.waitFor('mailer@example.com', (m) => m.subject === '[AlgoDatta] Test notification');
    expect((await notificationLog(api.url, mailer.accessToken, 1))[0]).toMatchObject({
      status: 'SENT',
      attempts: 2,
      lastError: null,
    });

    smtp.refuseNext(550);
    await gql(api.url, 'mutation($id: ID!) { sendTestNotification(channelId: $id) }', { id }, mailer.accessToken);
    const failed = await waitFor(
      async () => (await notificationLog(api.url, mailer.accessToken, 1)).find((n) => n.status === 'FAILED'),
      5000,
      'the refusal',
    );
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^SMTP 550/) });
  });
});
