// The paper order path in database statements (issue 13): from the alert to its ORDER_FILLED event, counted on the
// wire between the api and PostgreSQL (bench/lib/pg-count-proxy.js). Counts, not timings: a count does not depend on
// how loaded the machine is. Measured 2026-12: 6 (intake: rate limit, alert + execution; claim; the paper venue's
// own fill; one statement for fill, position, execution and events; the end of the attempt). Issue 19's position
// turn adds one (7). Exits attached to a signal (issue 18) added 3 (10): a priced alert is a price for the strategy's
// exit plans (one indexed read of the open plans before the 202), and after the fill the plans follow the position
// (the entry read, the end of plans the fill closed or reversed; off the order path). Since 2026-12-02 whether a
// strategy has an open plan is kept in memory (exits/open-plans.ts): a strategy without plans pays none of the 3 (7).
// Since the position turn is kept POSITION_TURN_LINGER_MS for the next alert, a lone order gives it back in a statement
// of its own 25 ms after its end instead of in the end of the attempt (8); alerts that follow within it take no turn.
import { countedPaperStrategyForSuite, orderKinds, sumOf } from './harness/counted-api';

const MAX_STATEMENTS_PER_PAPER_ORDER = 9;

describe('a paper order', () => {
  const paperStrategy = countedPaperStrategyForSuite('statements@example.com', 1000);

  it(`should take at most ${MAX_STATEMENTS_PER_PAPER_ORDER} statements from the alert to its ORDER_FILLED event`, async () => {
    const paper = paperStrategy();
    const { api } = paper;
    const order = (i: number) => paper.fillOne(i);
    // Warm: the strategy and kill switch caches, the prepared statements
    for (let i = 0; i < 3; i += 1) await order(i);
    const ORDERS = 6;
    const kinds = new Map<string, number>();
    for (let i = 0; i < ORDERS; i += 1) {
      const counted = await api.count(() => order(i));
      for (const [kind, n] of counted.kinds) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    }
    // Rounded: the exit plans' after-fill statements (off the order path) of the order before a window may land in it
    const perOrder = Math.round(sumOf(orderKinds(kinds)) / ORDERS);
    expect({ perOrder, kinds: Object.fromEntries(kinds) }).toEqual({
      perOrder: expect.any(Number),
      kinds: expect.any(Object),
    });
    if (perOrder > MAX_STATEMENTS_PER_PAPER_ORDER)
      throw new Error(`${perOrder} statements per paper order: ${JSON.stringify(Object.fromEntries(kinds))}`);
    expect(perOrder).toBeLessThanOrEqual(MAX_STATEMENTS_PER_PAPER_ORDER);
  });
});
