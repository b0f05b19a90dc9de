// One position's backlog in database statements (issue 13): a burst of alerts to one strategy and symbol, counted on
// the wire between the api and PostgreSQL (bench/lib/pg-count-proxy.js), from the first alert to the last ORDER_FILLED
// event. Counts, not timings (but for the exit-plan reads' allowance below, which grows with the burst's seconds).
// Measured 2026-12-02 with 40 alerts: 8.2 per order before (the intake's share of a batched insert, claim, paper venue,
// fill, end of the attempt, and three exit_plans statements for a strategy without exits: the priced alert's plan read
// before the 202, the filled entry's read and the end of plans after the fill), 5.2 once whether a strategy has open
// plans is kept in memory (exits/open-plans.ts).
import { alternatingAlert, countedPaperStrategyForSuite, orderKinds, sumOf } from './harness/counted-api';
import { postAlert, waitFor } from './harness/pipeline';

const ALERTS = 40;
const MAX_STATEMENTS_PER_ORDER = 6;

describe('a burst of paper orders on one position', () => {
  const paperStrategy = countedPaperStrategyForSuite('burst-statements@example.com', 5000);

  it(`should take at most ${MAX_STATEMENTS_PER_ORDER} statements per order from the alerts to their ORDER_FILLED events`, async () => {
    const paper = paperStrategy();
    const { api, strategy } = paper;
    const burst = async (n: number) => {
      const before = paper.filled();
      const replies = await Promise.all(
        Array.from({ length: n }, (_, i) => postAlert(api.url, alternatingAlert(strategy.secret, i))),
      );
      for (const reply of replies) expect(reply.status).toBe(202);
      await waitFor(async () => paper.filled() >= before + n, 30_000, 'every ORDER_FILLED');
    };
    // Warm: the strategy and kill switch caches, the prepared statements
    await burst(4);
    const started = Date.now();
    const counted = await api.count(() => burst(ALERTS));
    const tookMs = Date.now() - started;
    const kinds = orderKinds(counted.kinds);
    const perOrder = sumOf(kinds) / ALERTS;
    if (perOrder > MAX_STATEMENTS_PER_ORDER)
      throw new Error(`${perOrder} statements per paper order: ${JSON.stringify(Object.fromEntries(kinds))}`);
    // No exit_plans statement per order for a strategy that has no plan: the answer is read once and kept while
    // the change feed is healthy, else for a second (OpenPlans), so a loaded machine (a CI run counted 10 reads
    // when its feed's pings came back late) may read once more per second the burst took, never once per order
    const exitPlanReads = sumOf(kinds.filter(([kind]) => kind.includes('exit_plans')));
    expect(exitPlanReads).toBeLessThanOrEqual(Math.min(ALERTS / 4, 2 + Math.ceil(tookMs / 1000)));
  }, 60_000);
});
