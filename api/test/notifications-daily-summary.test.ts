import { FakeTelegram } from './harness/fake-telegram';
import { startTestApi, TestApi } from './harness/test-api';
import { gql, register } from './harness/graphql-client';
import { linkTelegram, notificationEnv, setPreferences } from './harness/notifications-kit';
import { createAndDeploy, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// Each test waits on real deliveries (one message a second per chat, retry backoff): jest's 5 s default is too short under load
jest.setTimeout(30_000);

describe('the daily summary', () => {
  let api: TestApi;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    api = await startTestApi(notificationEnv(telegram, undefined, { DAILY_SUMMARY_TIME: '18:30' }));
  });
  afterAll(async () => {
    await api.close();
    await telegram.close();
  });

  it('should be scheduled daily at DAILY_SUMMARY_TIME in IST', async () => {
    const rows = await api.db.orm.em
      .fork()
      .getConnection()
      .execute(`select repeat_interval, repeat_timezone from agenda_jobs where name = 'notifications.daily-summary'`);
    expect(rows).toEqual([{ repeat_interval: '30 18 * * *', repeat_timezone: 'Asia/Kolkata' }]);
  });

  it('should sum up trades, P&L and win rate per strategy and the open positions, once a day, and skip a user who did not trade', async () => {
    const trader = await register(api.url, 'summary@example.com');
    const idle = await register(api.url, 'idle@example.com');
    await linkTelegram(api.url, trader.accessToken, telegram, '9001');
    await linkTelegram(api.url, idle.accessToken, telegram, '9002');
    const wanted = ['ORDER_REJECTED', 'DAILY_SUMMARY'];
    await setPreferences(api.url, trader.accessToken, wanted);
    await setPreferences(api.url, idle.accessToken, wanted);

    const swing = await createAndDeploy(api.url, trader.accessToken, { name: 'Swing', symbol: 'RELIANCE', qty: 100 });
    const hold = await createAndDeploy(api.url, trader.accessToken, { name: 'Hold', symbol: 'TCS', qty: 5 });
    const send = async (secret: string, side: string, price: number) => {
      const reply = await postAlert(api.url, { secret, idempotency_key: uniqueKey(), side, price });
      return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED']);
    };
    const entry = await send(swing.secret, 'BUY', 2500);
    const exit = await send(swing.secret, 'EXIT', 2600);
    const held = await send(hold.secret, 'BUY', 4000);
    const swingPnl = Number(entry.pnl) + Number(exit.pnl);

    expect(await api.services.notifications.dailySummary.run()).toBe(1);
    const text = await telegram.waitForSent('9001', (t) => t.startsWith('Daily summary'));
    const lines = text.split('\n');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
    expect(lines[0]).toBe(`Daily summary for ${today}`);
    expect(lines[1]).toBe(`Hold (PAPER): 1 trade, P&L -₹${Math.abs(Number(held.pnl)).toFixed(2)}`);
    const thousands = (n: number) => n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/, ',');
    expect(lines[2]).toBe(`Swing (PAPER): 2 trades, P&L +₹${thousands(swingPnl)}, win rate 100% (1 of 1)`);
    expect(lines[3]).toMatch(/^Total: 3 trades, P&L \+₹[\d,]+\.\d{2} \(net of charges\)$/);
    expect(lines[4]).toBe('Open positions:');
    expect(lines[5]).toMatch(/^TCS \(Hold, PAPER\): 5 @ ₹4,002\.00, unrealized [+-]?₹\d+\.\d{2}$/);
    expect(lines[6]).toMatch(/^Period: .* IST to .* IST$/);

    // Run twice the same day: sent once; the idle user gets nothing
    expect(await api.services.notifications.dailySummary.run()).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(telegram.sent('9001').filter((m) => m.text.startsWith('Daily summary'))).toHaveLength(1);
    expect(telegram.sent('9002').filter((m) => m.text.startsWith('Daily summary'))).toEqual([]);
    const log = await gql(api.url, '{ notifications { edges { node { event } } } }', undefined, idle.accessToken);
    expect(log.data!.notifications.edges.map((e: { node: { event: string } }) => e.node.event)).toEqual([]);
  });
});
