import { Client as PgClient } from 'pg';
import { ApiCluster, startCluster } from './harness/api-cluster';
import { ADMIN } from './harness/test-api';
import { login } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitFor } from './harness/pipeline';
import { queryDatabase as sql } from './harness/databases';

// Issue 19, work sharing: a busy api process's overflow (accepted alerts beyond its in-memory bound, left PENDING in
// PostgreSQL) is taken by an idle process at once, not at the recovery sweep. Process A's every attempt slot is held
// up (the test holds the turns of the positions those attempts are for), then A receives a burst larger than its
// bound; process B received nothing. With the recovery sweep and the overflow poll an hour away, only A's
// announcement can bring B to the burst: B must fill it while A's slots are still held, in arrival order per position,
// each execution once.

const CONCURRENCY = 2;
const QUEUE_MAX = 4;
const POSITIONS = 4;
const PER_POSITION = 6;

describe('a busy process overflow, taken by an idle one', () => {
  let cluster: ApiCluster;
  let token: string;

  beforeAll(async () => {
    cluster = await startCluster(2, {
      EXECUTOR_CONCURRENCY: String(CONCURRENCY),
      EXECUTOR_QUEUE_MAX: String(QUEUE_MAX),
      RECOVERY_SWEEP_SECONDS: '3600',
      OVERFLOW_POLL_SECONDS: '3600',
    });
    const res = await login(cluster.apis[0].url, ADMIN.email, ADMIN.password);
    token = res.data!.login.accessToken;
  }, 200_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const deploy = async (name: string) =>
    createAndDeploy(cluster.apis[0].url, token, { name, symbol: 'RELIANCE', alertsPerMinute: 5000 });

  const statuses = async (ids: string[]) =>
    (
      await sql(
        cluster.dbUrl,
        `select count(*) filter (where status = 'FILLED')::int as filled, count(*)::int as total
         from executions where strategy_id = any($1::uuid[])`,
        [ids],
      )
    )[0] as { filled: number; total: number };

  // Each execution of the strategy in arrival order: filled once, planned from the position the ones before it left
  async function expectArrivalOrder(strategyId: string): Promise<void> {
    const rows = await sql(
      cluster.dbUrl,
      `select e.id, e.status, e.qty::int as qty, e.plan->>'positionBefore' as before, e.plan->>'positionAfter' as after,
         (select count(*)::int from fills f where f.execution_id = e.id) as fills
       from executions e where e.strategy_id = $1 order by e.created_at, e.id`,
      [strategyId],
    );
    expect(rows).toHaveLength(PER_POSITION);
    expect(rows.filter((r) => r.status !== 'FILLED' || r.fills !== 1)).toEqual([]);
    let position = 0;
    const outOfOrder: string[] = [];
    for (const [i, r] of rows.entries()) {
      if (Number(r.before) !== position || Number(r.after) !== position + r.qty)
        outOfOrder.push(`#${i} (${r.qty}): planned ${r.before} -> ${r.after}, arrived after ${position}`);
      position += r.qty;
    }
    expect(outOfOrder).toEqual([]);
    const filledInOrder = await sql(
      cluster.dbUrl,
      `select f.execution_id as id from fills f join executions e on e.id = f.execution_id where e.strategy_id = $1
       order by f.created_at, f.id`,
      [strategyId],
    );
    expect(filledInOrder.map((f) => f.id)).toEqual(rows.map((r) => r.id));
  }

  it('should let the idle process fill the busy one overflow before any sweep, in order, once each', async () => {
    const [a] = cluster.apis;
    // A's attempt slots: one attempt per held position, each waiting for its turn
    const held: Deployed[] = [];
    for (let i = 0; i < CONCURRENCY; i++) held.push(await deploy(`held ${i}`));
    const burst: Deployed[] = [];
    for (let i = 0; i < POSITIONS; i++) burst.push(await deploy(`burst ${i}`));

    const turns = new PgClient({ connectionString: cluster.dbUrl });
    await turns.connect();
    try {
      for (const s of held)
        await turns.query('select pg_advisory_lock(hashtextextended($1, 0))', [`${s.id}|RELIANCE|PAPER`]);
      for (const s of held) {
        const reply = await postAlert(a.url, {
          secret: s.secret,
          idempotency_key: uniqueKey(),
          symbol: 'RELIANCE',
          side: 'BUY',
          qty: 1,
          price: 2500,
        });
        expect(reply.status).toBe(202);
      }
      // Both of A's slots wait for a held turn
      await waitFor(
        async () =>
          (
            await sql(
              cluster.dbUrl,
              `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
            )
          )[0].n === CONCURRENCY,
        30_000,
        "A's attempts waiting for their turns",
      );

      // The burst, all to A: one position's alerts one after another (each committed before the next is stamped),
      // the positions side by side; 1, 2 or 3 lots each
      await Promise.all(
        burst.map(async (s) => {
          for (let i = 0; i < PER_POSITION; i++) {
            const reply = await postAlert(a.url, {
              secret: s.secret,
              idempotency_key: uniqueKey(),
              symbol: 'RELIANCE',
              side: 'BUY',
              qty: (i % 3) + 1,
              price: 2500,
            });
            expect(reply.status).toBe(202);
          }
        }),
      );

      // A cannot start anything while its slots wait: whatever is filled now, B filled
      await waitFor(
        async () => (await statuses(burst.map((s) => s.id))).filled === POSITIONS * PER_POSITION,
        60_000,
        'the burst filled by the idle process while the busy one is held up',
      );
      expect((await statuses(held.map((s) => s.id))).filled).toBe(0);
    } finally {
      await turns.end();
    }
    await waitFor(
      async () => (await statuses(held.map((s) => s.id))).filled === CONCURRENCY,
      60_000,
      'the held positions filled once their turns are free',
    );
    for (const s of burst) await expectArrivalOrder(s.id);
  }, 180_000);
});
