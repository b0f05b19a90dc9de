import { Client } from 'pg';
import { claimNext } from '../src/modules/executions/store/execution-claim';
import { nextPending } from '../src/modules/executions/placement/pending-executions.sql';
import { databaseUrl } from './harness/databases';
import { startTestApi, TestApi } from './harness/test-api';
import { register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor } from './harness/pipeline';

// Issue 19: the claim (claimNext) decides a position's queue in arrival order across api processes. Two processes
// stamp created_at from their own clocks and can stamp the same microsecond (two of sixty alerts did in most runs of
// cluster-backlog-order.test.ts): the order must still be one that every process agrees on, (created_at, id), or
// two processes decide tied alerts in either order. And a claim whose only waiting rows are being changed (row
// locked) must say busy: "none" ends the work item while its execution still waits. So must one whose head was
// stamped after an insert of this process still in flight (an older alert of the position may be in it).
describe('claimNext, the order of a position queue', () => {
  let api: TestApi;
  let db: Client;
  const lease = 60_000;
  // BUY alerts of these quantities to the strategy, one after another (each answered 202)
  const queueBuys = async (secret: string, quantities: number[]) => {
    for (const qty of quantities) {
      const reply = await postAlert(api.url, {
        secret,
        idempotency_key: uniqueKey(),
        symbol: 'INFY',
        side: 'BUY',
        qty,
        price: 1500,
      });
      expect(reply.status).toBe(202);
    }
  };
  const filledCount = async (strategyId: string) =>
    (
      await db.query(`select count(*)::int as n from executions where strategy_id = $1 and status = 'FILLED'`, [
        strategyId,
      ])
    ).rows[0].n;

  beforeAll(async () => {
    api = await startTestApi();
    db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('should take tied arrival stamps by id, in the claim and the scheduler load alike, and answer busy for a locked queue or an older insert in flight', async () => {
    const user = await register(api.url, 'claim-order@example.com');
    const s = await createAndDeploy(api.url, user.accessToken, { symbol: 'INFY', alertsPerMinute: 1000 });
    const position = { strategyId: s.id, symbol: 'INFY', mode: 'PAPER' };
    const key = `${s.id}|INFY|PAPER`;
    // The test holds the position's turn: the api's own attempts wait for it, and the executions stay PENDING
    await db.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    let ids: string[];
    try {
      await queueBuys(s.secret, [1, 2]);
      ids = (await db.query(`select id from executions where strategy_id = $1 order by id`, [s.id])).rows.map(
        (r) => r.id as string,
      );
      expect(ids).toHaveLength(2);
      const [low, high] = ids;
      // Stamped the same microsecond (as two processes can); the row rewritten last is the one a scan meets last
      await db.query(
        `update executions set created_at = (select created_at from executions where id = $2) where id = $1`,
        [low, high],
      );

      const loaded = await nextPending(api.services.sql, { key, userId: user.user.id, ...position }, 10, null);
      expect(loaded.map((w) => w.id)).toEqual([low, high]);

      // Locked by a writer (the only waiting row up to `low`): not "none", its work item must come again
      const writer = new Client({ connectionString: databaseUrl(api.dbName) });
      await writer.connect();
      try {
        await writer.query('begin');
        await writer.query('select 1 from executions where id = $1 for update', [low]);
        expect(await claimNext(api.services.sql, position, low, lease)).toEqual({ kind: 'busy' });
        // Asked for by the later one: the older one is locked, so busy too (taking `high` would overtake it)
        expect(await claimNext(api.services.sql, position, high, lease)).toEqual({ kind: 'busy' });
      } finally {
        await writer.query('rollback');
        await writer.end();
      }

      // An insert of this process stamped before the tie has not committed yet (an older alert may be in it): wait
      const [{ before, after }] = (
        await db.query(
          `select (created_at - interval '1 microsecond')::text as before, (created_at + interval '1 microsecond')::text as after
           from executions where id = $1`,
          [low],
        )
      ).rows;
      expect(await claimNext(api.services.sql, position, high, lease, before)).toEqual({ kind: 'busy' });

      // Asked for by the later one of the tie, the claim takes the earlier one (lower id) first (an insert in flight
      // stamped after them does not hold them back)
      const first = await claimNext(api.services.sql, position, high, lease, after);
      expect(first.kind === 'claimed' && first.executions.map((e) => e.id)).toEqual([low]);
      // Asked for by the earlier one while it is leased: nothing at or before it is free, and the later one is not taken
      const again = await claimNext(api.services.sql, position, low, lease);
      expect(again.kind).toBe('held');
    } finally {
      // Leases given back so the api's own attempts can run once the turn is free
      await db.query('update executions set lease_until = null, attempts = 0 where strategy_id = $1', [s.id]);
      await db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
    await waitFor(async () => (await filledCount(s.id)) === 2, 30_000, 'both alerts filled');
  }, 90_000);
  it('should claim a batch of consecutive waiting executions in arrival order, stopping before a locked or leased one', async () => {
    const user = await register(api.url, 'claim-batch@example.com');
    const s = await createAndDeploy(api.url, user.accessToken, { symbol: 'INFY', alertsPerMinute: 1000 });
    const position = { strategyId: s.id, symbol: 'INFY', mode: 'PAPER' };
    const key = `${s.id}|INFY|PAPER`;
    const free = () => db.query('update executions set lease_until = null where strategy_id = $1', [s.id]);
    await db.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      await queueBuys(s.secret, [1, 2, 3]);
      const ids = (
        await db.query(`select id from executions where strategy_id = $1 order by created_at, id`, [s.id])
      ).rows.map((r) => r.id as string);
      const [a, b, c] = ids;
      const claimedIds = (outcome: Awaited<ReturnType<typeof claimNext>>) =>
        outcome.kind === 'claimed' ? outcome.executions.map((e) => e.id) : outcome.kind;

      // The second one is being changed by a writer: the batch stops before it (taking the third would overtake it)
      const writer = new Client({ connectionString: databaseUrl(api.dbName) });
      await writer.connect();
      try {
        await writer.query('begin');
        await writer.query('select 1 from executions where id = $1 for update', [b]);
        expect(claimedIds(await claimNext(api.services.sql, position, [a, c], lease, null, 3))).toEqual([a]);
      } finally {
        await writer.query('rollback');
        await writer.end();
      }
      // The head is leased (its attempt's process is gone): nothing behind it is taken
      expect(claimedIds(await claimNext(api.services.sql, position, [c], lease, null, 3))).toBe('held');
      await free();
      // At most `limit`, consecutive, oldest first; up to the latest of the ids asked for
      expect(claimedIds(await claimNext(api.services.sql, position, [c, a], lease, null, 2))).toEqual([a, b]);
      await free();
      expect(claimedIds(await claimNext(api.services.sql, position, [b], lease, null, 3))).toEqual([a, b]);
      await free();
      expect(claimedIds(await claimNext(api.services.sql, position, [a, c], lease, null, 3))).toEqual([a, b, c]);
    } finally {
      await db.query('update executions set lease_until = null, attempts = 0 where strategy_id = $1', [s.id]);
      await db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
    await waitFor(async () => (await filledCount(s.id)) === 3, 30_000, 'all three filled');
  }, 90_000);
});
