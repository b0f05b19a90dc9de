import { register } from './harness/graphql-client';
import { CountedApi, startCountedApi } from './harness/counted-api';
import { createAndDeploy, postAlert, uniqueKey } from './harness/pipeline';

const alert = (secret: string) => ({
  secret,
  idempotency_key: uniqueKey(),
  symbol: 'RELIANCE',
  side: 'BUY',
  qty: 1,
  price: 2500,
});
const lookups = (kinds: Map<string, number>) => kinds.get('select strategies') ?? 0;

describe('a wrong webhook secret', () => {
  let api: CountedApi;
  beforeAll(async () => {
    api = await startCountedApi({ WEBHOOK_UNAUTHORIZED_PER_IP: '20' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('should cost at most one database lookup however often the same wrong secret is sent', async () => {
    const { kinds } = await api.count(async () => {
      for (let i = 0; i < 10; i += 1)
        expect((await postAlert(api.url, alert('whsec_same-wrong-secret'))).status).toBe(401);
    });
    expect(lookups(kinds)).toBeLessThanOrEqual(1);
  });

  it('should stop looking secrets up for an address past its 401 budget, answering 429, while a working secret still gets in', async () => {
    const trader = await register(api.url, 'budget@example.com');
    const own = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute: 1000 });
    expect((await postAlert(api.url, alert(own.secret))).status).toBe(202);
    const statuses: number[] = [];
    const { kinds } = await api.count(async () => {
      for (let i = 0; i < 60; i += 1) statuses.push((await postAlert(api.url, alert(`whsec_guess-${i}`))).status);
    });
    // 10 failures were spent by the previous test: 10 more 401s, then 429 without a lookup
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expect(lookups(kinds)).toBeLessThanOrEqual(10);
    // the same address still delivers a secret that works
    expect((await postAlert(api.url, alert(own.secret))).status).toBe(202);
  });
});

describe('/readyz', () => {
  let api: CountedApi;
  beforeAll(async () => {
    api = await startCountedApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('should cost at most one statement however many probes arrive together, and never run the migrator', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // past any cached answer from start-up
    const started = Date.now();
    const { kinds } = await api.count(async () => {
      const replies = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api.url}/readyz`)));
      for (const reply of replies) expect(await reply.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    });
    const elapsed = Date.now() - started;
    expect([...kinds.keys()].filter((k) => /migration/.test(k))).toEqual([]);
    // The probe's `select 1` only: the api's own jobs (job polls, sweeps) run meanwhile, and on a loaded machine their
    // statements fell into the window (6 counted in a CI run). One probe answers every request of its second (the
    // answer is kept 1 s): 20 requests answered more slowly than that may take one more.
    expect(kinds.get('select') ?? 0).toBeLessThanOrEqual(1 + Math.floor(elapsed / 1000));
  });

  it('should say only "not ready" when the database is gone, never its error text', async () => {
    await api.cutDatabase();
    await new Promise((r) => setTimeout(r, 1100));
    const reply = await fetch(`${api.url}/readyz`);
    expect(reply.status).toBe(503);
    expect(await reply.json()).toEqual({ status: 'not_ready', checks: { database: 'not ready' } });
  });
});
