import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register, Session } from './harness/graphql-client';

const CREATE = 'mutation($input: StrategyInput!) { createStrategy(input: $input) { id } }';
const valid = { name: 'S', symbol: 'NIFTY', timeframe: '15', qty: 1, mode: 'PAPER' };

describe('bad input changes nothing and gets a clear error', () => {
  let api: TestApi;
  let user: Session;
  beforeAll(async () => {
    api = await startTestApi();
    user = await register(api.url, 'badinput@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  const strategyCount = async () =>
    (await gql(api.url, '{ strategies { id } }', undefined, user.accessToken)).data!.strategies.length;

  it.each([
    ['a missing field', { ...valid, name: undefined }],
    ['a wrong type', { ...valid, qty: 'ten' }],
    ['a negative quantity', { ...valid, qty: -1 }],
    ['an unknown mode', { ...valid, mode: 'YOLO' }],
    ['a bad timeframe', { ...valid, timeframe: 'every tuesday' }],
    ['an unknown segment', { ...valid, exchangeSegment: 'NYSE' }],
    ['half a trading window', { ...valid, tradingWindowStart: '09:20' }],
    ['a NUL character in the name (PostgreSQL cannot store it)', { ...valid, name: 'S\u0000' }],
    ['an unpaired surrogate in the name', { ...valid, name: 'S\ud800' }],
    ['a LIVE strategy on a broker with no plugin loaded', { ...valid, mode: 'LIVE', broker: 'zerodha' }],
  ])('should refuse %s with BAD_USER_INPUT', async (_label, input) => {
    const res = await gql(api.url, CREATE, { input }, user.accessToken);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message.length).toBeGreaterThan(5);
    expect(await strategyCount()).toBe(0);
  });

  it('should name the failing field in details', async () => {
    const res = await gql(api.url, CREATE, { input: { ...valid, qty: '1.23456' } }, user.accessToken);
    expect(res.errors![0].extensions!.details).toEqual([{ path: 'qty', message: expect.stringMatching(/qty/) }]);
  });

  it('should refuse a register with a bad email or short password', async () => {
    const bad = await gql(
      api.url,
      'mutation { register(input: {email: "not-an-email", password: "short"}) { accessToken } }',
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.details!.map((d) => d.path).sort()).toEqual(['email', 'password']);
  });

  it('should name a NUL character or an unpaired surrogate in a variable, or a NUL in a literal argument', async () => {
    const inVariable = await gql(api.url, CREATE, { input: { ...valid, name: 'S\u0000' } }, user.accessToken);
    expect(inVariable.errors![0].extensions!.details).toEqual([
      { path: 'input.name', message: expect.stringMatching(/NUL/) },
    ]);
    const surrogate = await gql(api.url, CREATE, { input: { ...valid, name: 'S\udfff' } }, user.accessToken);
    expect(surrogate.errors![0].extensions!.details).toEqual([
      { path: 'input.name', message: expect.stringMatching(/surrogate/) },
    ]);
    const inLiteral = await gql(
      api.url,
      'mutation { createStrategy(input: {name: "S\\u0000", symbol: "NIFTY", timeframe: "15", qty: 1, mode: PAPER}) { id } }',
      undefined,
      user.accessToken,
    );
    expect(errorCode(inLiteral)).toBe('BAD_USER_INPUT');
    expect(inLiteral.errors![0].extensions!.details).toEqual([
      { path: 'input', message: expect.stringMatching(/NUL/) },
    ]);
    expect(await strategyCount()).toBe(0);
  });

  it('should refuse a malformed id with BAD_USER_INPUT, not a database error', async () => {
    const res = await gql(
      api.url,
      'mutation { deleteStrategy(id: "1; drop table users") }',
      undefined,
      user.accessToken,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });

  it('should answer 413 to a 1 MB body', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
      body: JSON.stringify({ query: CREATE, variables: { input: { ...valid, name: 'x'.repeat(1024 * 1024) } } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload_too_large' });
    expect(await strategyCount()).toBe(0);
  });

  it('should answer 400 to a body that is not JSON', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
  });

  it('should refuse a query above the complexity limit', async () => {
    const wide = `{ ${Array.from({ length: 1100 }, (_, i) => `m${i}: me { id }`).join(' ')} }`;
    const res = await gql(api.url, wide, undefined, user.accessToken);
    expect(errorCode(res)).toBe('QUERY_TOO_COMPLEX');
  });

  it('should let introspection through the depth limit', async () => {
    const res = await gql(
      api.url,
      '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } }',
    );
    expect(res.errors).toBeUndefined();
  });
});

describe('query depth limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ GRAPHQL_MAX_DEPTH: '1' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should refuse a query deeper than GRAPHQL_MAX_DEPTH before running it', async () => {
    const res = await gql(
      api.url,
      'mutation { register(input: {email: "deep@example.com", password: "password-123"}) { user { id } } }',
    );
    expect(res.status).toBe(400);
    expect(res.errors![0].message).toMatch(/exceeds maximum operation depth/);
    const shallow = await gql(
      api.url,
      'mutation { register(input: {email: "deep@example.com", password: "password-123"}) { accessToken } }',
    );
    expect(shallow.errors).toBeUndefined();
  });
});
