import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DASHBOARD_CLIENT_HEADER,
  DASHBOARD_SECRET_FILE,
  signDashboardClient,
} from '../src/modules/auth/dashboard-client';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, GqlResponse, register } from './harness/graphql-client';

const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }';

const loginAs = (api: TestApi, email: string, password: string, headers: Record<string, string> = {}) =>
  gql(api.url, LOGIN, { input: { email, password } }, undefined, headers);

const codes = (replies: GqlResponse[]) => replies.map((r) => errorCode(r) ?? 'OK').sort();

describe('login budget under concurrent guesses', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_PER_EMAIL: '3', LOGIN_MAX_PER_IP: '100', REGISTER_MAX_PER_IP: '3' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should refuse every guess beyond the per-email budget, even when they all arrive at once', async () => {
    await register(api.url, 'target@example.com', 'the-password-1');
    // password checks take a while (bcrypt): a check-then-count limiter lets all twelve through
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => loginAs(api, 'target@example.com', `guess-${i}`)),
    );
    expect(codes(replies)).toEqual([...Array(9).fill('RATE_LIMITED'), ...Array(3).fill('UNAUTHENTICATED')].sort());
    // the account is locked for this window, the right password included
    expect(errorCode(await loginAs(api, 'target@example.com', 'the-password-1'))).toBe('RATE_LIMITED');
  });

  it('should rate-limit registrations per client address', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        gql(api.url, REGISTER, { input: { email: `signup${i}@example.com`, password: 'password-123' } }),
      ),
    );
    // the first test registered one account from this address already
    expect(codes(replies)).toEqual(['OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(replies.find((r) => errorCode(r) === 'RATE_LIMITED')!.errors![0].message).toMatch(/try again in \d+ s/);
  });
});

describe('the browser address the dashboard forwards', () => {
  const secret = 'dashboard-forward-secret-for-tests-0123456789';
  let api: TestApi;
  let dataDir: string;
  beforeAll(async () => {
    // No DASHBOARD_FORWARD_SECRET: the api reads the file the dashboard server writes into DATA_DIR on its first start
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algodatta-forward-'));
    fs.writeFileSync(path.join(dataDir, DASHBOARD_SECRET_FILE), `${secret}\n`, { mode: 0o600 });
    api = await startTestApi({ DATA_DIR: dataDir, LOGIN_MAX_PER_IP: '3', LOGIN_MAX_PER_EMAIL: '100' });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const viaDashboard = (address: string, signWith = secret, at = Date.now()) => ({
    [DASHBOARD_CLIENT_HEADER]: signDashboardClient(signWith, address, at),
  });
  const spray = async (n: number, headers: () => Record<string, string>) => {
    const out: string[] = [];
    for (let i = 0; i < n; i += 1)
      out.push(errorCode(await loginAs(api, `nobody${Math.random()}@example.com`, 'password-123', headers())) ?? 'OK');
    return out;
  };

  it('should give each browser behind the dashboard its own budget', async () => {
    expect(await spray(4, () => viaDashboard('203.0.113.10'))).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
    expect(await spray(1, () => viaDashboard('203.0.113.11'))).toEqual(['UNAUTHENTICATED']);
    expect(await spray(1, () => viaDashboard('2001:db8::7'))).toEqual(['UNAUTHENTICATED']);
  });

  it('should not let a direct caller choose its address: unsigned, forged or stale headers count against the socket', async () => {
    const forged = (address: string) => ({
      [DASHBOARD_CLIENT_HEADER]: signDashboardClient('not-the-dashboard-secret-0123456789abcdef', address),
    });
    const stale = (address: string) => viaDashboard(address, secret, Date.now() - 10 * 60_000);
    const unsigned = (address: string) => ({
      [DASHBOARD_CLIENT_HEADER]: `${address}; t=${Math.floor(Date.now() / 1000)}; sig=00`,
    });
    const variants = [forged, stale, unsigned, forged, stale];
    let i = 0;
    const results = await spray(5, () => variants[i++](`198.51.100.${i}`));
    expect(results).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
    // a signature covers its address: moving it to another one does not verify
    const signed = signDashboardClient(secret, '203.0.113.50');
    const moved = signed.replace('203.0.113.50', '203.0.113.51');
    expect(errorCode(await loginAs(api, 'x@example.com', 'password-123', { [DASHBOARD_CLIENT_HEADER]: moved }))).toBe(
      'RATE_LIMITED',
    );
  });
});
