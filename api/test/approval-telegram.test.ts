import { FakeTelegram } from './harness/fake-telegram';
import { startTestApi, TestApi } from './harness/test-api';
import { register, Session } from './harness/graphql-client';
import { linkTelegram, notificationEnv } from './harness/notifications-kit';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Real deliveries (one message a second per chat) and a real bot round trip per press
jest.setTimeout(60_000);

// Issue 18: an approval request sent to a verified Telegram chat carries Approve / Reject buttons; pressing one
// goes through the same approval service as the dashboard (through the real HTTP fake Bot API, getUpdates).
describe('Telegram approval buttons', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let trader: Session;
  let other: Session;
  let strategy: Deployed;
  const CHAT = '8101';
  const OTHER_CHAT = '8102';
  const STRANGER = '8199';

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    api = await startTestApi(
      notificationEnv(telegram, undefined, { BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' }),
    );
    trader = await register(api.url, 'approve-tg@example.com');
    other = await register(api.url, 'approve-tg-other@example.com');
    await linkTelegram(api.url, trader.accessToken, telegram, CHAT);
    await linkTelegram(api.url, other.accessToken, telegram, OTHER_CHAT);
    strategy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Gated',
      symbol: 'INFY',
      requireApproval: true,
      approvalTimeoutMinutes: 10,
      alertsPerMinute: 1000,
    });
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  // An alert that waits for approval, and the Telegram request for it with its buttons
  const request = async () => {
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'buy',
      qty: '1',
      price: '1500',
    });
    expect(reply.status).toBe(202);
    const execution = await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['AWAITING_APPROVAL']);
    const message = await waitFor(
      async () =>
        telegram
          .sent(CHAT)
          .find((m) => m.text.startsWith('Approval needed') && m.replyMarkup && !seen.has(m.messageId)),
      15_000,
      'the approval request in Telegram',
    );
    seen.add(message.messageId);
    const [approve, reject] = message.replyMarkup.inline_keyboard[0];
    return { alertId: reply.body.alert_id as string, id: execution.id as string, message, approve, reject };
  };
  const seen = new Set<number>();
  const press = async (chatId: string, data: string, messageId?: number) => {
    const id = telegram.pushCallback(chatId, data, 'Approval needed', messageId);
    const call = await waitFor(
      async () => telegram.callsOf('answerCallbackQuery').find((c) => c.body.callback_query_id === id),
      10_000,
      `the answer to ${id}`,
    );
    return call.body.text as string;
  };
  const statusOf = async (id: string) =>
    (await api.db.sql.query<{ status: string }>('select status from executions where id = ?', [id]))[0].status;
  const fills = async (id: string) =>
    Number(
      (await api.db.sql.query<{ n: string }>('select count(*) as n from fills where execution_id = ?', [id]))[0].n,
    );

  it('should send Approve and Reject buttons whose data is a signed token, not the execution id', async () => {
    const { id, approve, reject } = await request();
    expect([approve.text, reject.text]).toEqual(['Approve', 'Reject']);
    for (const button of [approve, reject]) {
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      expect(button.callback_data).not.toContain(id);
      expect(button.callback_data).not.toContain(id.replace(/-/g, ''));
    }
    expect(approve.callback_data).not.toBe(reject.callback_data);
  });

  it('should approve from the button: placed once, the callback answered and the message edited without buttons; a second press changes nothing', async () => {
    const { id, message, approve, reject } = await request();
    const answer = await press(CHAT, approve.callback_data, message.messageId);
    expect(answer).toMatch(/^Approved: the order is (PLACED|PARTIALLY_FILLED|FILLED)\.$/);
    await waitFor(async () => (await statusOf(id)) === 'FILLED', 10_000, 'the approved order to fill');
    await waitFor(async () => telegram.message(CHAT, message.messageId)?.text.includes('Approved:'), 5000, 'the edit');
    const edited = telegram.message(CHAT, message.messageId)!;
    expect(edited.text.startsWith(message.text)).toBe(true);
    expect(edited.replyMarkup).toBeUndefined();
    expect(await fills(id)).toBe(1);
    // The same button again (a replay) and the other button: already decided, nothing changed
    expect(await press(CHAT, approve.callback_data, message.messageId)).toBe(
      'Already decided: FILLED; nothing was changed.',
    );
    expect(await press(CHAT, reject.callback_data, message.messageId)).toBe(
      'Already decided: FILLED; nothing was changed.',
    );
    expect(await statusOf(id)).toBe('FILLED');
    expect(await fills(id)).toBe(1);
  });

  it('should reject from the button: REJECTED approval_rejected, no order', async () => {
    const { id, message, reject } = await request();
    expect(await press(CHAT, reject.callback_data, message.messageId)).toBe('Rejected: no order was placed.');
    const row = (
      await api.db.sql.query<{ status: string; reject_reason: string; last_error: string }>(
        'select status, reject_reason, last_error from executions where id = ?',
        [id],
      )
    )[0];
    expect(row).toEqual({
      status: 'REJECTED',
      reject_reason: 'approval_rejected',
      last_error: 'rejected by its owner: from Telegram',
    });
    await waitFor(
      async () => telegram.message(CHAT, message.messageId)?.text.endsWith('Rejected: no order was placed.'),
      5000,
      'the edit',
    );
    expect(await fills(id)).toBe(0);
  });

  it("should refuse another user's, a stranger's and an altered button, changing nothing", async () => {
    const { id, approve, reject } = await request();
    // The owner's button pressed in another user's chat (forwarded or copied): it was signed for the owner's chat
    expect(await press(OTHER_CHAT, approve.callback_data)).toBe('This button is not valid here; nothing was changed.');
    expect(await press(STRANGER, approve.callback_data)).toBe('This chat is not linked to an AlgoDatta account.');
    // One character of the signature changed
    const data: string = reject.callback_data;
    const altered = data.slice(0, -1) + (data.endsWith('A') ? 'B' : 'A');
    expect(await press(CHAT, altered)).toBe('This button is not valid here; nothing was changed.');
    // An approve button made from the reject button's parts
    expect(await press(CHAT, data.replace(/^ap:r:/, 'ap:a:'))).toBe(
      'This button is not valid here; nothing was changed.',
    );
    expect(await statusOf(id)).toBe('AWAITING_APPROVAL');
    expect(await fills(id)).toBe(0);
  });
  it('should give each approval request folded into a digest its own labelled row of buttons, and keep the other rows once one is decided', async () => {
    const before = telegram.sent(CHAT).length;
    // Telegram down while the requests pile up: they go out together, more than NOTIFY_DIGEST_AFTER (3) at once
    telegram.downWith = 502;
    let ids: string[];
    try {
      const replies = await Promise.all(
        Array.from({ length: 6 }, () =>
          postAlert(api.url, {
            secret: strategy.secret,
            idempotency_key: uniqueKey(),
            side: 'buy',
            qty: '1',
            price: '1500',
          }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(6).fill(202));
      ids = await Promise.all(
        replies.map(
          async (r) =>
            (await waitForStatus(api.url, trader.accessToken, r.body.alert_id, ['AWAITING_APPROVAL'])).id as string,
        ),
      );
      await waitFor(
        async () =>
          Number(
            (
              await api.db.sql.query<{ n: string }>(
                `select count(*) as n from notifications where execution_id = any(?::uuid[]) and event_type = 'AWAITING_APPROVAL'`,
                [`{${ids.join(',')}}`],
              )
            )[0].n,
          ) === 6,
        10_000,
        'the six approval requests recorded',
      );
    } finally {
      telegram.downWith = undefined;
    }
    const digest = await waitFor(
      async () =>
        telegram
          .sent(CHAT)
          .slice(before)
          .find((m) => /^\d+ notifications\n/.test(m.text)),
      15_000,
      'a digest',
    );
    const requests = digest.text.split('\n').filter((l) => /^- #\d+ Approval needed: BUY 1 INFY$/.test(l));
    expect(requests.length).toBeGreaterThan(1);
    const rows: Array<Array<{ text: string; callback_data: string }>> = digest.replyMarkup.inline_keyboard;
    expect(rows.map((row) => row.map((b) => b.text))).toEqual(
      requests.map((_, i) => [`Approve #${i + 1} BUY 1 INFY`, `Reject #${i + 1} BUY 1 INFY`]),
    );
    const waiting = async () => {
      const rows = await api.db.sql.query<{ id: string; status: string }>(
        'select id, status from executions where id = any(?::uuid[])',
        [`{${ids.join(',')}}`],
      );
      return rows.filter((r) => r.status !== 'AWAITING_APPROVAL');
    };
    // Approve the first row: one order, its row gone, the others still there
    expect(await press(CHAT, rows[0][0].callback_data, digest.messageId)).toMatch(/^Approved: the order is /);
    const decided = await waitFor(
      async () => ((await waiting()).length === 1 ? await waiting() : undefined),
      10_000,
      'one decided',
    );
    await waitFor(async () => (await statusOf(decided[0].id)) === 'FILLED', 10_000, 'the approved order to fill');
    await waitFor(
      async () => telegram.message(CHAT, digest.messageId)?.text.includes('#1 BUY 1 INFY: Approved:'),
      5000,
      'the edit',
    );
    expect(telegram.message(CHAT, digest.messageId)!.replyMarkup.inline_keyboard).toEqual(rows.slice(1));
    // Reject the second from the edited message: rejected, its row gone too
    expect(await press(CHAT, rows[1][1].callback_data, digest.messageId)).toBe('Rejected: no order was placed.');
    await waitFor(
      async () =>
        telegram.message(CHAT, digest.messageId)?.text.endsWith('#2 BUY 1 INFY: Rejected: no order was placed.'),
      5000,
      'the second edit',
    );
    const left = telegram.message(CHAT, digest.messageId)!.replyMarkup;
    expect(left === undefined ? [] : left.inline_keyboard).toEqual(rows.slice(2));
    expect((await waiting()).map((r) => r.status).sort()).toEqual(['FILLED', 'REJECTED']);
  });
});
