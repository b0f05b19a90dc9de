import { gql, register, Session } from './harness/graphql-client';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  SIM_TOKEN,
  sql,
  startDhanWorld,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

const PIN = '246810';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const HOUR = 3_600_000;

type AccountRow = {
  id: string;
  user_id: string;
  status: string;
  access_token_enc: string;
  token_expires_at: Date;
  token_via: string | null;
  session_renewed_at: Date | null;
  last_error: string | null;
  pin_enc: string | null;
  totp_secret_enc: string | null;
  auto_login: boolean;
  expiry_warned_for: Date | null;
};

// Broker tokens that last: the session job renews a web token before it expires (DhanHQ RenewToken), logs in with
// PIN + TOTP when the owner opted in, notifies on failure, and never leaves a half-updated account.
describe('broker sessions (renewal, automatic login)', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      {},
      {
        prices: { 2885: '2500' },
        instruments: { 2885: { tradingSymbol: 'RELIANCE', lotSize: 1 } },
        pin: PIN,
        totpSecret: TOTP_SECRET,
      },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'sessions@example.com');
  });
  afterAll(async () => {
    await world.close();
  });

  const account = async () =>
    (
      await sql<AccountRow>(
        world.api,
        "select * from broker_accounts where broker = 'dhan' and user_id = (select id from users where email = $1)",
        ['sessions@example.com'],
      )
    )[0];
  const sessionNotices = async () =>
    sql<{ data: Record<string, unknown> }>(
      world.api,
      "select data from notification_outbox where event = 'BROKER_SESSION' order by created_at",
    );
  const token = (row: AccountRow) => world.api.services.box.decrypt(row.access_token_enc);
  // The token stops working in `ms` at Dhan, and the api knows it
  const expireIn = async (ms: number) => {
    const row = await account();
    world.sim.sessions.setExpiry(token(row), Date.now() + ms);
    await sql(world.api, 'update broker_accounts set token_expires_at = $1 where id = $2', [
      new Date(Date.now() + ms),
      row.id,
    ]);
  };
  const tradeOnce = async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1, price: 2500 });
    expect(reply.status).toBe(202);
    return waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
  };

  it('should renew a web token before it expires and trade on with the new one', async () => {
    await connectSim(world.api.url, trader.accessToken);
    expect(await account()).toMatchObject({ token_via: 'web', status: 'CONNECTED' });
    await expireIn(HOUR);
    const renewals = () => world.sim.requests.filter((r) => r.path === '/RenewToken').length;
    const before = renewals();

    const outcomes = await world.api.services.brokerSessions.run();
    expect(outcomes).toEqual([expect.objectContaining({ broker: 'dhan', action: 'renewed' })]);
    expect(renewals() - before).toBe(1);
    const row = await account();
    expect(row).toMatchObject({ status: 'CONNECTED', token_via: 'renew', last_error: null });
    expect(row.session_renewed_at).not.toBeNull();
    expect(new Date(row.token_expires_at).getTime()).toBeGreaterThan(Date.now() + 23 * HOUR);
    expect(token(row)).not.toBe(SIM_TOKEN);
    expect(world.sim.sessions.valid(SIM_TOKEN)).toBe(false);
    expect(world.sim.sessions.valid(token(row))).toBe(true);

    const res = await gql(
      world.api.url,
      '{ brokerAccounts { broker tokenExpiresAt tokenVia sessionRenewedAt autoLogin } }',
      undefined,
      trader.accessToken,
    );
    expect(res.data!.brokerAccounts[0]).toMatchObject({
      broker: 'dhan',
      tokenVia: 'renew',
      tokenExpiresAt: new Date(row.token_expires_at).toISOString(),
    });
    // Orders go out with the renewed token
    await tradeOnce();
  });

  it('should keep the account as it was and notify at once when the renewal fails', async () => {
    world.sim.setAccessToken(SIM_TOKEN);
    await connectSim(world.api.url, trader.accessToken);
    await expireIn(HOUR);
    const before = await account();
    const noticesBefore = (await sessionNotices()).length;
    world.sim.inject({
      kind: 'http_error',
      path: '/RenewToken',
      status: 500,
      body: { errorType: 'Others', errorCode: 'DH-908', errorMessage: 'renewal is down' },
      times: -1,
    });
    try {
      const outcomes = await world.api.services.brokerSessions.run();
      expect(outcomes).toEqual([expect.objectContaining({ action: 'renewal_failed' })]);
    } finally {
      world.sim.clearFaults();
    }
    const after = await account();
    // Token, expiry and origin untouched; the failure is recorded
    expect(after).toMatchObject({
      status: 'CONNECTED',
      access_token_enc: before.access_token_enc,
      token_via: 'web',
      token_expires_at: before.token_expires_at,
    });
    expect(after.last_error).toContain('renewal_failed');
    const notices = (await sessionNotices()).slice(noticesBefore).map((n) => n.data);
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ broker: 'dhan', kind: 'renewal_failed' }),
        expect.objectContaining({ kind: 'expiring' }),
      ]),
    );
    // The expiring notice goes once per token
    world.sim.inject({
      kind: 'http_error',
      path: '/RenewToken',
      status: 500,
      body: { errorType: 'Others', errorCode: 'DH-908', errorMessage: 'renewal is down' },
      times: -1,
    });
    try {
      await world.api.services.brokerSessions.run();
    } finally {
      world.sim.clearFaults();
    }
    expect((await sessionNotices()).slice(noticesBefore).filter((n) => n.data.kind === 'expiring')).toHaveLength(1);
  });

  it('should log in with PIN + TOTP when opted in, after refusing a wrong PIN without touching the account', async () => {
    const enable = (pin: string) =>
      gql(
        world.api.url,
        'mutation($i: BrokerAutoLoginInput!) { enableBrokerAutoLogin(input: $i) { broker autoLogin } }',
        { i: { broker: 'dhan', pin, totpSecret: TOTP_SECRET } },
        trader.accessToken,
      );
    expect((await enable('111111')).data!.enableBrokerAutoLogin).toEqual({ broker: 'dhan', autoLogin: true });
    const stored = await account();
    // Encrypted at rest like the token
    expect(stored.pin_enc).not.toContain('111111');
    expect(stored.totp_secret_enc).not.toContain(TOTP_SECRET);
    expect(world.api.services.box.decrypt(stored.totp_secret_enc!)).toBe(TOTP_SECRET);

    // The 24th hour passed: the token is dead and the account EXPIRED
    world.sim.sessions.setExpiry(token(stored), Date.now() - 1000);
    await world.api.services.brokerAccounts.markExpired(stored.user_id, 'dhan', 'DH-901: token expired');
    const expired = await account();
    const noticesBefore = (await sessionNotices()).length;
    expect(await world.api.services.brokerSessions.run()).toEqual([
      expect.objectContaining({ action: 'login_failed' }),
    ]);
    expect(await account()).toMatchObject({ status: 'EXPIRED', access_token_enc: expired.access_token_enc });
    expect((await sessionNotices()).slice(noticesBefore).map((n) => n.data)).toEqual([
      expect.objectContaining({ kind: 'login_failed' }),
    ]);

    await enable(PIN);
    const logins = () => world.sim.requests.filter((r) => r.path === '/app/generateAccessToken').length;
    const before = logins();
    expect(await world.api.services.brokerSessions.run()).toEqual([expect.objectContaining({ action: 'logged_in' })]);
    expect(logins() - before).toBe(1);
    const row = await account();
    expect(row).toMatchObject({ status: 'CONNECTED', token_via: 'login', last_error: null });
    expect(world.sim.sessions.valid(token(row))).toBe(true);
    await tradeOnce();

    const off = await gql(
      world.api.url,
      'mutation { disableBrokerAutoLogin(broker: "dhan") { autoLogin } }',
      undefined,
      trader.accessToken,
    );
    expect(off.data!.disableBrokerAutoLogin).toEqual({ autoLogin: false });
    expect(await account()).toMatchObject({ pin_enc: null, totp_secret_enc: null, auto_login: false });
  });

  it('should mark the account EXPIRED and notify once when a token that cannot be renewed reaches its expiry', async () => {
    // The token came from a login (Dhan renews only web tokens) and automatic login is off now
    await expireIn(-1000);
    const expiredNotices = async () =>
      (await sql(world.api, "select id from notification_outbox where event = 'BROKER_TOKEN_EXPIRED'")).length;
    const before = await expiredNotices();
    expect(await world.api.services.brokerSessions.run()).toEqual([expect.objectContaining({ action: 'expired' })]);
    expect(await account()).toMatchObject({ status: 'EXPIRED' });
    expect(await expiredNotices()).toBe(before + 1);
    await world.api.services.brokerSessions.run();
    expect(await expiredNotices()).toBe(before + 1);
  });
});
