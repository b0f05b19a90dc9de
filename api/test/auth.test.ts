import jwt from 'jsonwebtoken';
import { ADMIN, startTestApi, TestApi, TEST_SECRET_KEY } from './harness/test-api';
import { errorCode, gql, login, register } from './harness/graphql-client';

const ME = 'query { me { id email role status } }';
const REFRESH = 'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken user { email } } }';

describe('auth over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_PER_EMAIL: '3', LOGIN_MAX_PER_IP: '12' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should register, log in and answer me when the credentials are right', async () => {
    const session = await register(api.url, 'Trader.One@Example.com', 'correct-horse-1');
    expect(session.user).toMatchObject({ email: 'trader.one@example.com', role: 'USER' });

    const res = await login(api.url, 'trader.one@example.com', 'correct-horse-1');
    expect(res.errors).toBeUndefined();
    const me = await gql(api.url, ME, undefined, res.data!.login.accessToken);
    expect(me.data!.me).toEqual({
      id: session.user.id,
      email: 'trader.one@example.com',
      role: 'USER',
      status: 'ACTIVE',
    });
  });

  it('should refuse a second account with the same email in any case', async () => {
    await register(api.url, 'dup@example.com');
    const res = await gql(
      api.url,
      'mutation { register(input: {email: "DUP@example.com", password: "password-123"}) { accessToken } }',
    );
    expect(errorCode(res)).toBe('CONFLICT');
  });

  it('should refuse a wrong password and an unknown email with the same message', async () => {
    await register(api.url, 'wrongpw@example.com', 'right-password');
    const wrong = await login(api.url, 'wrongpw@example.com', 'not-the-password');
    const unknown = await login(api.url, 'nobody@example.com', 'whatever-123');
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
  });

  it('should rotate refresh tokens and revoke the whole family when an old one is reused', async () => {
    const first = await register(api.url, 'rotate@example.com');
    const second = await gql(api.url, REFRESH, { t: first.refreshToken });
    expect(second.errors).toBeUndefined();
    const rotated = second.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);

    const reuse = await gql(api.url, REFRESH, { t: first.refreshToken });
    expect(errorCode(reuse)).toBe('UNAUTHENTICATED');
    // The reuse revoked the family, so even the newest token of that login is dead now
    const newest = await gql(api.url, REFRESH, { t: rotated.refreshToken });
    expect(errorCode(newest)).toBe('UNAUTHENTICATED');
  });

  it('should let exactly one of two concurrent refreshes with the same token win', async () => {
    const session = await register(api.url, 'race@example.com');
    const results = await Promise.all([1, 2, 3, 4].map(() => gql(api.url, REFRESH, { t: session.refreshToken })));
    expect(results.filter((r) => r.data?.refreshToken).length).toBe(1);
  });

  it('should revoke the refresh token on logout', async () => {
    const session = await register(api.url, 'logout@example.com');
    const out = await gql(
      api.url,
      'mutation($t: String) { logout(refreshToken: $t) }',
      { t: session.refreshToken },
      session.accessToken,
    );
    expect(out.data!.logout).toBe(true);
    expect(errorCode(await gql(api.url, REFRESH, { t: session.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('should refuse expired, tampered and wrongly signed access tokens', async () => {
    const session = await register(api.url, 'tokens@example.com');
    const expired = jwt.sign({ sub: session.user.id, role: 'USER', typ: 'access' }, TEST_SECRET_KEY, {
      algorithm: 'HS256',
      expiresIn: -10,
    });
    const otherKey = jwt.sign(
      { sub: session.user.id, role: 'ADMIN', typ: 'access' },
      'another-secret-key-that-is-long-enough-000',
    );
    const unsigned = jwt.sign({ sub: session.user.id, role: 'ADMIN', typ: 'access' }, '', { algorithm: 'none' });
    for (const token of [expired, otherKey, unsigned, `${session.accessToken}x`]) {
      const res = await gql(api.url, ME, undefined, token);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    }
    const expiredRes = await gql(api.url, ME, undefined, expired);
    expect(expiredRes.errors![0].message).toMatch(/expired/i);
  });

  it('should ask for a token when me is called anonymously', async () => {
    expect(errorCode(await gql(api.url, ME))).toBe('UNAUTHENTICATED');
  });

  it('should refuse a disabled user at login and on a token issued before', async () => {
    const user = await register(api.url, 'disable-me@example.com', 'password-123');
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const res = await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { status } }',
      { id: user.user.id },
      admin.accessToken,
    );
    expect(res.data!.setUserStatus.status).toBe('DISABLED');

    expect(errorCode(await gql(api.url, ME, undefined, user.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await login(api.url, 'disable-me@example.com', 'password-123'))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, REFRESH, { t: user.refreshToken }))).toBe('UNAUTHENTICATED');

    await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: ACTIVE) { status } }',
      { id: user.user.id },
      admin.accessToken,
    );
    expect((await login(api.url, 'disable-me@example.com', 'password-123')).data!.login.user.email).toBe(
      'disable-me@example.com',
    );
  });

  it('should rate-limit failed logins per email, even with the right password afterwards', async () => {
    await register(api.url, 'bruteforce@example.com', 'the-password');
    for (let i = 0; i < 3; i += 1)
      expect(errorCode(await login(api.url, 'bruteforce@example.com', `guess-${i}`))).toBe('UNAUTHENTICATED');
    const limited = await login(api.url, 'bruteforce@example.com', 'the-password');
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].message).toMatch(/try again in \d+ s/);
  });
});

describe('login rate limit per IP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_PER_IP: '4', LOGIN_MAX_PER_EMAIL: '100' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should rate-limit one client spraying many accounts', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 6; i += 1) codes.push(errorCode(await login(api.url, `spray${i}@example.com`, 'password-123')));
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('UNAUTHENTICATED'));
    expect(codes.slice(4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});
