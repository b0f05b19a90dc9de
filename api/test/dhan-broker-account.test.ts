import { gql, register, login, errorCode, Session } from './harness/graphql-client';
import { ADMIN } from './harness/test-api';
import {
  ACCOUNT_FIELDS,
  captureLogs,
  connectBroker,
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  SIM_CLIENT_ID,
  SIM_TOKEN,
  sql,
  startDhanWorld,
} from './fixtures/dhan/dhan-kit';

describe('connecting a Dhan account', () => {
  let world: DhanWorld;
  let trader: Session;
  let other: Session;
  let admin: string;
  beforeAll(async () => {
    world = await startDhanWorld();
    trader = await register(world.api.url, 'dhan-trader@example.com');
    other = await register(world.api.url, 'dhan-other@example.com');
    admin = (await login(world.api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
  });
  afterAll(async () => {
    await world.close();
  });

  it('should verify the token with Dhan, store it encrypted and never return or log it', async () => {
    const logs = captureLogs();
    let res;
    try {
      res = await connectBroker(world.api.url, trader.accessToken, {
        broker: 'dhan',
        clientId: SIM_CLIENT_ID,
        accessToken: SIM_TOKEN,
      });
    } finally {
      logs.stop();
    }
    expect(res.errors).toBeUndefined();
    const account = res.data!.connectBroker;
    expect(account).toMatchObject({
      userId: trader.user.id,
      broker: 'dhan',
      clientIdMasked: '******0001',
      status: 'CONNECTED',
      lastError: null,
    });
    // The simulator's profile says the token is valid for another 24 h
    expect(new Date(account.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(Date.now() - new Date(account.connectedAt).getTime()).toBeLessThan(60_000);
    expect(JSON.stringify(res)).not.toContain(SIM_TOKEN);
    expect(JSON.stringify(res)).not.toContain(SIM_CLIENT_ID);
    expect(logs.text()).toContain('broker account connected');
    expect(logs.text()).not.toContain(SIM_TOKEN);

    // The check really asked Dhan, with the given credentials
    const profile = world.sim.requests.filter((r) => r.path === '/profile');
    expect(profile.at(-1)!.headers['access-token']).toBe(SIM_TOKEN);
    expect(profile.at(-1)!.headers['client-id']).toBe(SIM_CLIENT_ID);

    const [row] = await sql<{ client_id_enc: string; access_token_enc: string; status: string }>(
      world.api,
      'select * from broker_accounts where user_id = $1',
      [trader.user.id],
    );
    expect(row.status).toBe('CONNECTED');
    expect(row.access_token_enc).toMatch(/^v1\./);
    expect(row.access_token_enc).not.toContain(SIM_TOKEN);
    expect(row.client_id_enc).not.toContain(SIM_CLIENT_ID);
    const decrypted = world.api.services.box.decrypt(row.access_token_enc);
    expect(decrypted).toBe(SIM_TOKEN);

    const list = await gql(world.api.url, `{ brokerAccounts { ${ACCOUNT_FIELDS} } }`, undefined, trader.accessToken);
    expect(list.data!.brokerAccounts).toEqual([expect.objectContaining({ id: account.id, status: 'CONNECTED' })]);
    expect(JSON.stringify(list)).not.toContain(SIM_TOKEN);
  });

  it('should refuse a bad token with BAD_USER_INPUT and store nothing', async () => {
    const logs = captureLogs();
    let res;
    try {
      res = await connectBroker(world.api.url, other.accessToken, {
        broker: 'dhan',
        clientId: SIM_CLIENT_ID,
        accessToken: 'not-the-right-token',
      });
    } finally {
      logs.stop();
    }
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/dhan refused these credentials \(TOKEN_EXPIRED\)/);
    expect(JSON.stringify(res)).not.toContain('not-the-right-token');
    expect(logs.text()).not.toContain('not-the-right-token');
    expect(await sql(world.api, 'select id from broker_accounts where user_id = $1', [other.user.id])).toEqual([]);

    const unknown = await connectBroker(world.api.url, other.accessToken, {
      broker: 'zerodha',
      clientId: '1',
      accessToken: 'whatever-token',
    });
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    const paper = await connectBroker(world.api.url, other.accessToken, {
      broker: 'paper',
      clientId: '1',
      accessToken: 'whatever-token',
    });
    expect(errorCode(paper)).toBe('BAD_USER_INPUT');
    const anonymous = await connectBroker(world.api.url, '', {
      broker: 'dhan',
      clientId: SIM_CLIENT_ID,
      accessToken: SIM_TOKEN,
    });
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('should replace the token when connecting again, and route new orders with the new one', async () => {
    const before = (
      await sql<{ access_token_enc: string; updated_at: Date }>(
        world.api,
        'select * from broker_accounts where user_id = $1',
        [trader.user.id],
      )
    )[0];
    world.sim.setAccessToken('rotated-token-abcdefgh');
    try {
      await rotate(before);
    } finally {
      world.sim.setAccessToken(SIM_TOKEN);
    }
  });

  async function rotate(before: { updated_at: Date }) {
    const refused = await connectBroker(world.api.url, trader.accessToken, {
      broker: 'dhan',
      clientId: SIM_CLIENT_ID,
      accessToken: SIM_TOKEN,
    });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    const res = await connectBroker(world.api.url, trader.accessToken, {
      broker: 'dhan',
      clientId: SIM_CLIENT_ID,
      accessToken: 'rotated-token-abcdefgh',
    });
    expect(res.data!.connectBroker.status).toBe('CONNECTED');
    const rows = await sql<{ access_token_enc: string; updated_at: Date }>(
      world.api,
      'select * from broker_accounts where user_id = $1',
      [trader.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(world.api.services.box.decrypt(rows[0].access_token_enc)).toBe('rotated-token-abcdefgh');
    expect(rows[0].updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());

    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const sent = world.sim.requests.length;
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 1 });
    expect(reply).toMatchObject({ status: 202 });
    const placed = await waitForRequest(world, sent, 'POST', '/orders');
    expect(placed.headers['access-token']).toBe('rotated-token-abcdefgh');
  }

  it("should list only the caller's accounts, and every account for an admin", async () => {
    await connectSim(world.api.url, other.accessToken);
    const mine = await gql(world.api.url, '{ brokerAccounts { userId } }', undefined, other.accessToken);
    expect(mine.data!.brokerAccounts).toEqual([{ userId: other.user.id }]);
    const all = await gql(world.api.url, '{ brokerAccounts { userId } }', undefined, admin);
    expect(all.data!.brokerAccounts.map((a: { userId: string }) => a.userId).sort()).toEqual(
      [trader.user.id, other.user.id].sort(),
    );
  });

  it('should disconnect: the token is gone and LIVE alerts are refused with broker_not_connected', async () => {
    const strategy = await liveStrategy(world.api.url, other.accessToken);
    const res = await gql(world.api.url, 'mutation { disconnectBroker(broker: "dhan") }', undefined, other.accessToken);
    expect(res.data!.disconnectBroker).toBe(true);
    const [row] = await sql<{ access_token_enc: string | null; status: string }>(
      world.api,
      'select * from broker_accounts where user_id = $1',
      [other.user.id],
    );
    expect(row).toMatchObject({ access_token_enc: null, status: 'DISCONNECTED' });
    const reply = await sendAlert(world.api.url, strategy, {});
    expect(reply).toMatchObject({ status: 422, body: { status: 'rejected', reason: 'broker_not_connected' } });
    const again = await gql(
      world.api.url,
      'mutation { disconnectBroker(broker: "kite") }',
      undefined,
      other.accessToken,
    );
    expect(again.data!.disconnectBroker).toBe(false);
  });

  it("should let only an admin reset a user's token, with an audit row", async () => {
    const denied = await gql(
      world.api.url,
      'mutation($u: ID!) { resetBrokerToken(userId: $u, broker: "dhan") }',
      { u: trader.user.id },
      other.accessToken,
    );
    expect(errorCode(denied)).toBe('FORBIDDEN');
    const self = await gql(
      world.api.url,
      'mutation($u: ID!) { resetBrokerToken(userId: $u, broker: "dhan") }',
      { u: trader.user.id },
      trader.accessToken,
    );
    expect(errorCode(self)).toBe('FORBIDDEN');
    expect(
      (
        await sql<{ status: string }>(world.api, 'select status from broker_accounts where user_id = $1', [
          trader.user.id,
        ])
      )[0].status,
    ).toBe('CONNECTED');

    const res = await gql(
      world.api.url,
      'mutation($u: ID!) { resetBrokerToken(userId: $u, broker: "dhan") }',
      { u: trader.user.id },
      admin,
    );
    expect(res.data!.resetBrokerToken).toBe(true);
    const [row] = await sql<{ access_token_enc: string | null; status: string; last_error: string }>(
      world.api,
      'select * from broker_accounts where user_id = $1',
      [trader.user.id],
    );
    expect(row).toMatchObject({ access_token_enc: null, status: 'DISCONNECTED' });
    expect(row.last_error).toMatch(/reset by an administrator/);
    const audit = await sql<{ action: string; details: Record<string, unknown> }>(
      world.api,
      `select * from audit_log where action = 'broker.reset_token'`,
    );
    expect(audit).toEqual([expect.objectContaining({ details: { userId: trader.user.id, broker: 'dhan' } })]);

    const strategy = await liveStrategy(world.api.url, trader.accessToken);
    expect(await sendAlert(world.api.url, strategy, {})).toMatchObject({
      status: 422,
      body: { reason: 'broker_not_connected' },
    });

    const missing = await gql(
      world.api.url,
      'mutation { resetBrokerToken(userId: "00000000-0000-0000-0000-000000000000", broker: "dhan") }',
      undefined,
      admin,
    );
    expect(errorCode(missing)).toBe('NOT_FOUND');
    const junk = await gql(
      world.api.url,
      'mutation { resetBrokerToken(userId: "nope", broker: "dhan") }',
      undefined,
      admin,
    );
    expect(errorCode(junk)).toBe('NOT_FOUND');
  });
});

async function waitForRequest(world: DhanWorld, from: number, method: string, path: string) {
  const deadline = Date.now() + 8000;
  for (;;) {
    const hit = world.sim.requests.slice(from).find((r) => r.method === method && r.path === path);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${method} ${path} at the simulator`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
