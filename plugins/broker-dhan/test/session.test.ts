// Broker sessions against the simulator: token expiry (JWT or profile), RenewToken (GET, web tokens, while valid),
// PIN + TOTP login on the auth host, and the token switch inside the client
import { AuthError, InvalidOrderError, PermissionError, TokenExpiredError } from '@algodatta/broker-sdk';
import type { OrderUpdate } from '@algodatta/broker-sdk';
import type { DhanSimulator, RecordedRequest } from '../src';
import { totpCode } from '../src/session/totp';
import { CLIENT_ID, RELIANCE, TOKEN, clientFor, newId, sleep, startSim, waitUntil } from './helpers/dhan-test-kit';

const PIN = '2468';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const DAY = 86_400_000;

let sim: DhanSimulator;
beforeEach(async () => {
  sim = await startSim({ pin: PIN, totpSecret: SECRET });
});
afterEach(async () => {
  await sim.close();
});

const last = (path: string): RecordedRequest => sim.requests.filter((r) => r.path === path).pop() as RecordedRequest;

describe('Dhan session expiry', () => {
  it('should read the expiry from the JWT the broker issued, without a request', async () => {
    const client = await clientFor(sim);
    try {
      const token = await client.loginSession({ pin: PIN, totpSecret: SECRET });
      const before = sim.requests.length;
      const info = await client.sessionExpiry();
      expect(info).toMatchObject({ broker: 'dhan', source: 'token', expiresAt: token.expiresAt });
      expect(info.expiresAt! - Date.now()).toBeGreaterThan(DAY - 60_000);
      expect(sim.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  });

  it("should fall back to the profile's tokenValidity for a token that is not a JWT", async () => {
    const client = await clientFor(sim);
    try {
      const info = await client.sessionExpiry();
      expect(info.source).toBe('profile');
      // tokenValidity has minute precision
      expect(Math.abs(info.expiresAt! - (Date.now() + DAY))).toBeLessThan(120_000);
      expect(last('/profile')).toBeDefined();
    } finally {
      await client.close();
    }
  });

  it('should answer DH-901 once a token is past its expiry, and book nothing', async () => {
    sim.sessions.add('eyJ-short-lived', 'web', Date.now() + 300);
    const client = await clientFor(
      sim,
      { lookupBeforePlace: false },
      { clientId: CLIENT_ID, accessToken: 'eyJ-short-lived' },
    );
    try {
      await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
      await sleep(350);
      const e = await client
        .placeOrder({
          clientOrderId: newId('exp'),
          instrument: RELIANCE,
          side: 'BUY',
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: '1',
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TokenExpiredError);
      expect((e as TokenExpiredError).brokerCode).toBe('DH-901');
      expect(sim.state.orders.size).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe('Dhan RenewToken', () => {
  it('should renew a valid web token with GET /RenewToken; later calls use the new token and the old one is refused', async () => {
    const client = await clientFor(sim);
    const old = await clientFor(sim);
    try {
      const token = await client.renewSession();
      const r = last('/RenewToken');
      expect(r.method).toBe('GET');
      expect(r.headers['access-token']).toBe(TOKEN);
      expect(r.headers.dhanclientid).toBe(CLIENT_ID);
      expect(token.via).toBe('renew');
      expect(token.accessToken).not.toBe(TOKEN);
      expect(token.expiresAt! - Date.now()).toBeGreaterThan(DAY - 60_000);
      // The token goes to the caller only, never into raw
      expect(JSON.stringify(token.raw)).not.toContain(token.accessToken);
      await client.funds();
      expect(last('/fundlimit').headers['access-token']).toBe(token.accessToken);
      await expect(old.funds()).rejects.toBeInstanceOf(TokenExpiredError);
    } finally {
      await client.close();
      await old.close();
    }
  });

  it('should show the disputed POST is refused (DH-905, as DhanHQ-py #108 saw) and leave the token as it was', async () => {
    const client = await clientFor(sim, { renewTokenMethod: 'POST' });
    try {
      const e = await client.renewSession().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidOrderError);
      expect((e as InvalidOrderError).brokerCode).toBe('DH-905');
      expect(last('/RenewToken').method).toBe('POST');
      await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
    } finally {
      await client.close();
    }
  });

  it('should refuse to renew an expired token with TokenExpiredError (only a new login helps)', async () => {
    const client = await clientFor(sim);
    try {
      sim.sessions.setExpiry(TOKEN, Date.now() - 1);
      await expect(client.renewSession()).rejects.toBeInstanceOf(TokenExpiredError);
    } finally {
      await client.close();
    }
  });

  it('should refuse to renew a token made by a PIN + TOTP login (only web tokens renew) with PermissionError', async () => {
    const client = await clientFor(sim);
    try {
      await client.loginSession({ pin: PIN, totpSecret: SECRET });
      const e = await client.renewSession().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermissionError);
      expect(e).toBeInstanceOf(AuthError);
    } finally {
      await client.close();
    }
  });

  it('should log the order-update stream back in with the renewed token after a reconnect', async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false });
    const updates: OrderUpdate[] = [];
    const errors: Error[] = [];
    const stop = client.subscribeOrderUpdates((u) => updates.push(u), { onError: (e) => errors.push(e) });
    try {
      await waitUntil(() => sim.orderUpdateClients() > 0);
      await client.renewSession();
      sim.dropOrderUpdateClients();
      await sleep(100);
      const placed = await client.placeOrder({
        clientOrderId: newId('ren'),
        instrument: RELIANCE,
        side: 'BUY',
        type: 'MARKET',
        product: 'INTRADAY',
        quantity: '1',
      });
      await waitUntil(() =>
        updates.some(
          (u) => u.kind === 'order' && u.order.brokerOrderId === placed.brokerOrderId && u.order.status === 'filled',
        ),
      );
      await sleep(300);
      // With the old token the simulator closes every login with 1008 and the feed only limps on order-book snapshots
      expect(errors.map((e) => e.message).filter((m) => /authentication failed/.test(m))).toEqual([]);
    } finally {
      stop();
      await client.close();
    }
  });
});

describe('Dhan PIN + TOTP login', () => {
  it('should POST generateAccessToken on the auth host with the current TOTP and no token, and use the new token', async () => {
    const client = await clientFor(sim);
    try {
      const token = await client.loginSession({ pin: PIN, totpSecret: SECRET });
      const r = last('/app/generateAccessToken');
      expect(r.method).toBe('POST');
      expect(r.url.startsWith('/app/generateAccessToken?')).toBe(true);
      expect(r.query).toEqual({ dhanClientId: CLIENT_ID, pin: PIN, totp: expect.stringMatching(/^\d{6}$/) });
      expect([totpCode(SECRET, Date.now()), totpCode(SECRET, Date.now() - 30_000)]).toContain(r.query.totp);
      expect(r.headers['access-token']).toBeUndefined();
      expect(token.via).toBe('login');
      await client.positions();
      expect(last('/positions').headers['access-token']).toBe(token.accessToken);
    } finally {
      await client.close();
    }
  });

  it('should refuse a wrong PIN or secret with AuthError, keep the old token, and never put a secret in the message', async () => {
    const client = await clientFor(sim);
    try {
      for (const secrets of [
        { pin: '1111', totpSecret: SECRET },
        { pin: PIN, totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
      ]) {
        const e = await client.loginSession(secrets).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(AuthError);
        expect(e).not.toBeInstanceOf(TokenExpiredError);
        expect((e as Error).message).not.toContain(secrets.pin);
        expect((e as Error).message).not.toContain(secrets.totpSecret);
      }
      const before = sim.requests.length;
      await expect(client.loginSession({ pin: PIN, totpSecret: 'not base32 !!' })).rejects.toBeInstanceOf(AuthError);
      expect(sim.requests.length).toBe(before);
      await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
      expect(last('/fundlimit').headers['access-token']).toBe(TOKEN);
    } finally {
      await client.close();
    }
  });

  it('should take the PIN and TOTP secret from the account credentials when none are passed', async () => {
    const client = await clientFor(
      sim,
      {},
      { clientId: CLIENT_ID, accessToken: 'expired-long-ago', pin: PIN, totpSecret: SECRET },
    );
    try {
      await expect(client.funds()).rejects.toBeInstanceOf(TokenExpiredError);
      await client.loginSession();
      await expect(client.funds()).resolves.toMatchObject({ currency: 'INR' });
    } finally {
      await client.close();
    }
  });
});
