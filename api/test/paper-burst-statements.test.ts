// One position's backlog in database statements (issue 13): a burst of alerts to one strategy and symbol, counted on
// the wire between the api and PostgreSQL (bench/lib/pg-count-proxy.js), from the first alert to the last ORDER_FILLED
// event. Counts, not timings: they do not depend on how loaded the machine is. Measured 2026-12-02 with 40 alerts: 8.2
// per order before (the intake's share of a batched insert, claim, paper venue, fill, end of the attempt, and three
// exit_plans statements for a strategy without exits: the priced alert's plan read before the 202, the filled
// entry's read and the end of plans after the fill), 5.2 once whether a strategy has open plans is kept in memory
// (exits/open-plans.ts).
import { register } from './harness/graphql-client';
import { CountedApi, startCountedApi } from './harness/counted-api';
import { createAndDeploy, postAlert, subscribeEvents, uniqueKey, waitFor } from './harness/pipeline';

const ALERTS = 40;
const MAX_STATEMENTS_PER_ORDER = 6;
// Not the orders' work: the job runner's polling and the notification outbox reading what the fills enqueued
const background = (kind: string) => /agenda_jobs|notification_outbox|notification_channels|select users/.test(kind);

describe('a burst of paper orders on one position', () => {
  let api: CountedApi;
  beforeAll(async () => {
    api = await startCountedApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it(`should take at most ${MAX_STATEMENTS_PER_ORDER} statements per order from the alerts to their ORDER_FILLED events`, async () => {
    const trader = await register(api.url, 'burst-statements@example.com');
    const strategy = await createAndDeploy(api.url, trader.accessToken, { alertsPerMinute: 5000 });
    const sub = subscribeEvents(api.port, trader.accessToken, { s: strategy.id });
    await sub.ready;
    const burst = async (n: number) => {
      const before = sub.events.filter((e) => e.type === 'ORDER_FILLED').length;
      const replies = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          postAlert(api.url, {
            secret: strategy.secret,
            idempotency_key: uniqueKey(),
            symbol: 'RELIANCE',
            side: i % 2 ? 'SELL' : 'BUY',
            qty: 1,
            price: 2500,
          }),
        ),
      );
      for (const reply of replies) expect(reply.status).toBe(202);
      await waitFor(
        async () => sub.events.filter((e) => e.type === 'ORDER_FILLED').length >= before + n,
        30_000,
        'every ORDER_FILLED',
      );
    };
    // Warm: the strategy and kill switch caches, the prepared statements
    await burst(4);
    const counted = await api.count(() => burst(ALERTS));
    await sub.client.dispose();
    const kinds = [...counted.kinds].filter(([kind]) => !background(kind));
    const perOrder = kinds.reduce((n, [, c]) => n + c, 0) / ALERTS;
    if (perOrder > MAX_STATEMENTS_PER_ORDER)
      throw new Error(`${perOrder} statements per paper order: ${JSON.stringify(Object.fromEntries(kinds))}`);
    // No exit_plans statement per order for a strategy that has no plan
    expect(kinds.filter(([kind]) => kind.includes('exit_plans')).reduce((n, [, c]) => n + c, 0)).toBeLessThanOrEqual(2);
  }, 60_000);
});
