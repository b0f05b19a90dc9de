import { Client } from 'pg';
import { preparedTexts } from '../src/db/sql';
import { positionWithWorkingOrders } from '../src/modules/executions/placement/working-orders.sql';
import { finishAttempts, orderRefOf, recordAccount } from '../src/modules/executions/store/execution-claim';
import { FILL_MANY_SQL } from '../src/modules/executions/store/order-update.sql';
import { laneOf, nextPending } from '../src/modules/executions/placement/pending-executions.sql';
import { databaseUrl } from './harness/databases';
import { startTestApi, TestApi } from './harness/test-api';
import { register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// The hot statements are prepared once per connection, and after five runs PostgreSQL may keep a generic plan
// for good. A plan chosen while the tables were empty is kept while they grow: a claim that picked the index on
// status scanned every PENDING execution (1-1.6 ms each behind a burst of 45,000 alerts instead of 0.07 ms).
// So the plans are checked as they come out on empty tables: every row is found through a unique index (or an
// index bounded by one execution, or only open ones), never by a scan that grows with the table.
// strategies_live_targets_index: a strategy's live fan-out targets, at most MAX_TARGETS (strategy-targets.service.ts)
const BOUNDED_INDEX =
  /_pkey$|_unique$|^executions_open_index$|^execution_events_execution_id_at_index$|^exit_plans_open_index$|^strategies_live_targets_index$/;

async function genericPlans(url: string, texts: string[]): Promise<Array<{ text: string; plan: string }>> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('set plan_cache_mode = force_generic_plan');
    const plans = [];
    for (const [i, text] of texts.entries()) {
      const params = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      await db.query(`prepare probe_${i} as ${text}`);
      const args = params ? `(${Array(params).fill('null').join(', ')})` : '';
      const rows = (await db.query(`explain execute probe_${i}${args}`)).rows as Array<{ 'QUERY PLAN': string }>;
      plans.push({ text, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
    }
    return plans;
  } finally {
    await db.end();
  }
}

describe('the order path on empty tables', () => {
  let api: TestApi;
  afterAll(async () => {
    await api?.close();
  });

  it('should find every row it reads or writes through a bounded index under a generic plan', async () => {
    api = await startTestApi();
    const user = await register(api.url, 'plans@example.com');
    const strategy = await createAndDeploy(api.url, user.accessToken, { symbol: 'INFY', qty: 2 });
    // Entry, a repeated delivery, a reversal and an EXIT: every statement between an alert and its fill gets prepared
    const entry = {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      symbol: 'INFY',
      side: 'buy',
      qty: '2',
      price: '1500',
    };
    for (const alert of [
      entry,
      entry,
      { ...entry, idempotency_key: uniqueKey(), side: 'sell' },
      { ...entry, idempotency_key: uniqueKey(), side: 'exit' },
    ]) {
      const reply = await postAlert(api.url, alert);
      expect([200, 202]).toContain(reply.status);
      await waitForStatus(api.url, user.accessToken, reply.body.alert_id, ['FILLED']);
    }

    // A LIVE plan's read of the position and its working orders (the paper path above does not use it)
    await positionWithWorkingOrders(api.services.sql, {
      strategyId: strategy.id,
      symbol: 'INFY',
      mode: 'LIVE',
      excludeId: '00000000-0000-4000-8000-000000000000',
    });

    // The scheduler's reads (a position's waiting executions, an execution's position), a LIVE order's account and
    // the read-back after a LIVE placement (not on the paper path above)
    const none = '00000000-0000-4000-8000-000000000000';
    await nextPending(
      api.services.sql,
      { key: 'k', userId: user.user.id, strategyId: strategy.id, symbol: 'INFY', mode: 'PAPER' },
      10,
      null,
    );
    await laneOf(api.services.sql, none);
    await recordAccount(api.services.sql, none, 'account');
    await orderRefOf(api.services.sql, none);
    // The ends of a batch's attempts in one statement (a backlog's; alerts one at a time never batch)
    const placed = { qty: '1', broker: 'paper', request: {}, response: null };
    await finishAttempts(api.services.sql, [
      { executionId: none, placed },
      { executionId: '00000000-0000-4000-8000-000000000001', placed },
    ]);

    // A batch's fills in one statement (a backlog placed together at a simulated venue)
    await api.services.sql.query(FILL_MANY_SQL, [none, 0, '[]', null, null, null, null, null, null, null]);

    const texts = preparedTexts();
    expect(texts.length).toBeGreaterThanOrEqual(6);
    const plans = await genericPlans(databaseUrl(api.dbName), texts);
    const unbounded = plans.flatMap(({ text, plan }) => {
      const scans = [...plan.matchAll(/Seq Scan on (\S+)/g)].map((m) => `seq scan on ${m[1]}`);
      const indexes = [...plan.matchAll(/(?:Index Scan|Index Only Scan) using (\S+)|Bitmap Index Scan on (\S+)/g)].map(
        (m) => m[1] ?? m[2],
      );
      const wide = indexes.filter((name) => !BOUNDED_INDEX.test(name)).map((name) => `index ${name}`);
      return [...scans, ...wide].map((problem) => `${problem} in: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
    });
    expect(unbounded).toEqual([]);
  }, 60_000);
});
