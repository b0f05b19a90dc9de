import type { IncomingMessage } from 'node:http';
import { ConfigError, loadConfig } from '../src/config/config';
import { clientAddress, parseTrustProxy } from '../src/shared/client-address';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register } from './harness/graphql-client';
import { createAndDeploy, Deployed, uniqueKey } from './harness/pipeline';

const TRADINGVIEW = '52.89.214.238';

// What a request looks like to the api: the socket's peer plus whatever X-Forwarded-For the caller sent
const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('TRUST_PROXY: which X-Forwarded-For entry is the client', () => {
  const client = (setting: string, peer: string, forwardedFor?: string) =>
    clientAddress(request(peer, forwardedFor), parseTrustProxy(setting));

  it('should ignore the header when no proxy is trusted', () => {
    for (const setting of ['false', '0', ''])
      expect(client(setting, '203.0.113.5', `${TRADINGVIEW}`)).toBe('203.0.113.5');
  });

  it('should take the entry the nearest proxy appended when TRUST_PROXY=true (one hop), never the leftmost', () => {
    expect(client('true', '127.0.0.1', `${TRADINGVIEW}, 9.9.9.9`)).toBe('9.9.9.9');
    expect(client('true', '127.0.0.1', `9.9.9.9, ${TRADINGVIEW}`)).toBe(TRADINGVIEW);
    expect(client('1', '127.0.0.1', TRADINGVIEW)).toBe(TRADINGVIEW);
  });

  it('should count hops', () => {
    expect(client('2', '127.0.0.1', `1.1.1.1, ${TRADINGVIEW}, 10.0.0.2`)).toBe(TRADINGVIEW);
    // fewer entries than hops: the leftmost present is the best there is
    expect(client('3', '127.0.0.1', TRADINGVIEW)).toBe(TRADINGVIEW);
  });

  it('should trust only listed proxies, by address, subnet or name', () => {
    const setting = 'loopback, 10.0.0.0/8';
    expect(client(setting, '127.0.0.1', `1.1.1.1, ${TRADINGVIEW}, 10.1.2.3`)).toBe(TRADINGVIEW);
    expect(client(setting, '127.0.0.1', `${TRADINGVIEW}, 9.9.9.9`)).toBe('9.9.9.9');
    // a caller that is not a listed proxy speaks for itself, whatever it sends
    expect(client(setting, '203.0.113.5', TRADINGVIEW)).toBe('203.0.113.5');
    expect(client('::ffff:127.0.0.1', '::ffff:127.0.0.1', TRADINGVIEW)).toBe(TRADINGVIEW);
  });

  it('should refuse a setting it cannot read at start-up', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: 'loopback,10.0.0.0/8' }).TRUST_PROXY).toBe('loopback,10.0.0.0/8');
    expect(loadConfig({}).TRUST_PROXY).toBe('false');
  });
});

describe('behind one reverse proxy (TRUST_PROXY=true)', () => {
  let api: TestApi;
  let strategy: Deployed;
  beforeAll(async () => {
    api = await startTestApi({
      TRUST_PROXY: 'true',
      WEBHOOK_IP_ALLOWLIST: TRADINGVIEW,
      LOGIN_MAX_PER_IP: '3',
      LOGIN_MAX_PER_EMAIL: '100',
    });
    const trader = await register(api.url, 'proxied@example.com');
    strategy = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute: 1000 });
  });
  afterAll(async () => {
    await api.close();
  });

  const postAlert = async (forwardedFor: string) => {
    const res = await fetch(`${api.url}/api/webhook/tradingview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        symbol: 'RELIANCE',
        side: 'BUY',
        qty: 1,
      }),
    });
    await res.text();
    return res.status;
  };

  it('should not let a caller pass the webhook allowlist by writing its address first', async () => {
    expect(await postAlert(`${TRADINGVIEW}, 9.9.9.9`)).toBe(401);
    expect(await postAlert(`9.9.9.9, ${TRADINGVIEW}`)).toBe(202);
  });

  it('should not let a caller get a fresh login budget by changing the leftmost entry', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await gql(
        api.url,
        'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
        { input: { email: `guess${i}@example.com`, password: 'password-123' } },
        undefined,
        { 'x-forwarded-for': `198.51.100.${i}, 9.9.9.9` },
      );
      codes.push(errorCode(res));
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
