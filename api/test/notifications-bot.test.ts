import { FakeTelegram } from './harness/fake-telegram';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { linkTelegram, notificationEnv } from './harness/notifications-kit';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

// Each test waits on real deliveries (one message a second per chat, retry backoff): jest's 5 s default is too short under load
jest.setTimeout(30_000);

describe('the Telegram bot', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  let trader: Session;
  let strategy: Deployed;
  const CHAT = '8001';
  const ADMIN_CHAT = '8002';
  const STRANGER = '8999';

  // Notifications reach the same chat at their own pace; an answer is any other message
  const notification = (t: string) =>
    /^(Filled|Partly filled|Rejected|Error|Order failed|Alert received|Order placed): |^Kill switch (ON|off)\n/.test(t);
  // Sends a command as the chat and returns the bot's next answer there
  const ask = async (
    chatId: string,
    text: string,
    expect = (t: string) => !notification(t),
  ): Promise<{ text: string; replyMarkup?: any }> => {
    const before = telegram.sent(chatId).length;
    telegram.pushMessage(chatId, text);
    return waitFor(
      async () =>
        telegram
          .sent(chatId)
          .slice(before)
          .find((m) => expect(m.text)),
      8000,
      `an answer to ${text}`,
    );
  };

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    api = await startTestApi(notificationEnv(telegram));
    trader = await register(api.url, 'bot@example.com');
    await linkTelegram(api.url, trader.accessToken, telegram, CHAT);
    strategy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Breakout',
      symbol: 'RELIANCE',
      qty: 5,
      alertsPerMinute: 1000,
    });
    const buy = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 5,
      price: 2500,
    });
    await waitForStatus(api.url, trader.accessToken, buy.body.alert_id, ['FILLED']);
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  it('should tell an unknown chat its chat id and nothing else', async () => {
    for (const command of ['/status', '/strategies', '/pause Breakout', '/flatten Breakout', '/kill']) {
      const answer = await ask(STRANGER, command);
      expect(answer.text).toBe(
        `This chat is not linked to an AlgoDatta account. Its chat id is ${STRANGER}: add it as a Telegram notification channel in AlgoDatta, then enter the code the bot sends here.`,
      );
    }
    // A button pressed in an unknown chat does nothing either
    const calls = telegram.calls.length;
    telegram.pushCallback(STRANGER, `flatten:${strategy.id}:${Math.floor(Date.now() / 1000)}`);
    await waitFor(
      async () => telegram.calls.slice(calls).some((c) => c.method === 'answerCallbackQuery'),
      5000,
      'the callback answer',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(telegram.sent(STRANGER).filter((m) => m.text.includes('Flatten'))).toEqual([]);
    const strategies = await gql(api.url, '{ strategies { id enabled } }', undefined, trader.accessToken);
    expect(strategies.data!.strategies[0].enabled).toBe(true);
    const executions = await gql(api.url, '{ executions { totalCount } }', undefined, trader.accessToken);
    expect(executions.data!.executions.totalCount).toBe(1);
  });

  it("should answer /status with open positions and today's P&L", async () => {
    const answer = await ask(CHAT, '/status');
    expect(answer.text).toMatch(
      /^RELIANCE \(Breakout, PAPER\): 5 @ ₹2,501\.25, unrealized [+-]?₹[\d,]+\.\d{2}\nToday: 1 trades, realized P&L -₹\d+\.\d{2} \(net of charges\)$/,
    );
  });

  it('should list /strategies', async () => {
    const answer = await ask(CHAT, '/strategies');
    expect(answer.text).toBe('Breakout: RELIANCE, PAPER, active');
  });

  it('should /pause and /resume a strategy by name, and say when there is no such strategy', async () => {
    expect((await ask(CHAT, '/pause breakout')).text).toBe(
      'Paused Breakout: its new alerts are rejected (strategy_disabled).',
    );
    const paused = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    expect(paused.body).toMatchObject({ status: 'rejected', reason: 'strategy_disabled' });
    expect((await ask(CHAT, '/strategies')).text).toBe('Breakout: RELIANCE, PAPER, paused');
    expect((await ask(CHAT, '/resume Breakout')).text).toBe('Resumed Breakout: its alerts are accepted again.');
    const strategies = await gql(api.url, '{ strategies { enabled } }', undefined, trader.accessToken);
    expect(strategies.data!.strategies[0].enabled).toBe(true);
    expect((await ask(CHAT, '/pause Nope')).text).toBe('No strategy called "Nope". /strategies lists yours.');
    expect((await ask(CHAT, '/pause')).text).toBe('Usage: /pause <strategy name>');
  });

  it('should /flatten only after the confirm button, through the normal pipeline, once', async () => {
    const question = await ask(CHAT, '/flatten Breakout', (t) => t.startsWith('Flatten Breakout?'));
    expect(question.text).toBe('Flatten Breakout? This sends an EXIT for RELIANCE (5).');
    const [confirm, cancel] = question.replyMarkup.inline_keyboard[0];
    expect(cancel).toEqual({ text: 'Cancel', callback_data: 'cancel' });
    // Nothing happens before the button
    const count = async () =>
      (await gql(api.url, '{ executions { totalCount } }', undefined, trader.accessToken)).data!.executions
        .totalCount as number;
    const executionsBefore = await count();
    await new Promise((r) => setTimeout(r, 200));
    expect(await count()).toBe(executionsBefore);

    const before = telegram.sent(CHAT).length;
    telegram.pushCallback(CHAT, confirm.callback_data, question.text);
    const done = await waitFor(
      async () =>
        telegram
          .sent(CHAT)
          .slice(before)
          .find((m) => m.text.startsWith('Flatten Breakout:')),
      8000,
      'the flatten answer',
    );
    const executionId = /executions\/([0-9a-f-]{36})/.exec(done.text)![1];
    expect(done.text).toBe(`Flatten Breakout:\nEXIT RELIANCE sent: http://web.test/executions/${executionId}`);
    const exit = await waitFor(
      async () => {
        const res = await gql(
          api.url,
          'query($id: ID!) { execution(id: $id) { side status filledQty } }',
          { id: executionId },
          trader.accessToken,
        );
        return res.data!.execution?.status === 'FILLED' ? res.data!.execution : undefined;
      },
      8000,
      'the EXIT fill',
    );
    expect(exit).toEqual({ side: 'EXIT', status: 'FILLED', filledQty: '5' });
    const positions = await gql(api.url, '{ positions { qty } }', undefined, trader.accessToken);
    expect(positions.data!.positions[0].qty).toBe('0');
    // The fill is notified like any other
    await telegram.waitForSent(CHAT, (m) => m.startsWith('Filled: EXIT (SELL 5) RELIANCE'));
    expect(
      telegram.calls.some(
        (c) => c.method === 'editMessageText' && String(c.body.chat_id) === CHAT && c.body.text.endsWith('Confirmed.'),
      ),
    ).toBe(true);
    expect((await ask(CHAT, '/flatten Breakout')).text).toBe('Breakout has no open position.');
    // The same button pressed again sends nothing more
    const again = telegram.sent(CHAT).length;
    telegram.pushCallback(CHAT, confirm.callback_data, question.text);
    expect((await waitFor(async () => telegram.sent(CHAT).slice(again)[0], 8000, 'the answer')).text).toBe(
      'Breakout has no open position.',
    );
    expect(await count()).toBe(executionsBefore + 1);
  }, 20_000);

  it('should refuse an expired confirmation', async () => {
    const before = telegram.sent(CHAT).length;
    telegram.pushCallback(CHAT, `flatten:${strategy.id}:${Math.floor(Date.now() / 1000) - 600}`);
    const answer = await waitFor(async () => telegram.sent(CHAT).slice(before)[0], 8000, 'the answer');
    expect(answer.text).toBe('That confirmation has expired; send /flatten again.');
  });

  it('should let only an administrator /kill and /unkill', async () => {
    expect((await ask(CHAT, '/kill')).text).toBe('Only an administrator can use the kill switch.');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    await linkTelegram(api.url, admin.accessToken, telegram, ADMIN_CHAT);
    expect((await ask(ADMIN_CHAT, '/kill')).text).toBe(
      'Kill switch ON: new alerts are rejected and open orders are being cancelled.',
    );
    expect((await gql(api.url, '{ killSwitch }', undefined, admin.accessToken)).data!.killSwitch).toBe(true);
    const rejected = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'kill_switch' });
    expect((await ask(CHAT, '/status', (t) => t.includes('Today'))).text).toContain('The kill switch is ON.');
    expect((await ask(ADMIN_CHAT, '/unkill')).text).toBe('Kill switch off: alerts are accepted again.');
    expect((await gql(api.url, '{ killSwitch }', undefined, admin.accessToken)).data!.killSwitch).toBe(false);
  });

  it('should answer /help and an unknown command with the list of commands', async () => {
    expect((await ask(CHAT, '/help')).text).toMatch(/^Linked to bot@example\.com\.\n\/status/);
    expect((await ask(CHAT, '/nope')).text).toMatch(/^Unknown command \/nope\.\n\/status/);
  });
});
