import { Client } from 'pg';
import { startApiOn, startTestApi } from './harness/test-api';
import { databaseUrl, dropDatabase } from './harness/databases';
import { register } from './harness/graphql-client';
import { createAndDeploy, uniqueKey, waitFor } from './harness/pipeline';

// Issue 11, item 10: a backlog left by a crash is executed as fast as the executor runs, not a page per sweep.
describe('a 400-alert backlog left by a crashed process', () => {
  it('should be executed, each alert once, by the start-up sweep alone (not a hundred per sweep)', async () => {
    // The overflow poll would take up the backlog while it is being written (the "crash" comes after the writes)
    const first = await startTestApi({ OVERFLOW_POLL_SECONDS: '3600' });
    const user = await register(first.url, 'backlog-recovery@example.com');
    const strategy = await createAndDeploy(first.url, user.accessToken, {
      symbol: 'HDFCBANK',
      alertsPerMinute: 1_000_000,
    });
    const snapshot = (await first.services.strategyCache.byId(strategy.id))!;
    // Committed as the webhook commits them before its 202; the crash came before any attempt ran
    for (let i = 0; i < 400; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          first.services.intake.accept(
            snapshot,
            {
              secret: strategy.secret,
              idempotencyKey: uniqueKey(),
              side: (i + j) % 2 ? 'SELL' : 'BUY',
              qty: '1',
              orderType: 'MARKET',
              price: '1600',
            },
            '{}',
            '127.0.0.1',
          ),
        ),
      );
    }
    await first.stop();
    const db = new Client({ connectionString: databaseUrl(first.dbName) });
    await db.connect();
    try {
      // Four were in flight when it died: claimed, their lease since expired
      await db.query(
        `update executions set attempts = 1, lease_until = now() - interval '1 second'
        where id in (select id from executions where strategy_id = $1 order by created_at limit 4)`,
        [strategy.id],
      );
      const count = async (status: string) =>
        Number(
          (
            await db.query('select count(*) as n from executions where strategy_id = $1 and status = $2', [
              strategy.id,
              status,
            ])
          ).rows[0].n,
        );
      expect(await count('PENDING')).toBe(400);

      // No periodic sweep within the test: the start-up sweep must take the whole backlog by itself (it took 100, and
      // the rest waited for the next sweeps, one page each)
      const second = await startApiOn(first.dbName, { RECOVERY_SWEEP_SECONDS: '3600', OVERFLOW_POLL_SECONDS: '3600' });
      try {
        await waitFor(async () => (await count('FILLED')) === 400, 60_000, 'all 400 to fill');
        // Once each: one paper order per execution
        const client = await second.services.brokers.client('paper', strategy.id);
        expect(new Set((await client.listOrders()).map((o) => o.clientOrderId)).size).toBe(400);
      } finally {
        await second.stop();
      }
    } finally {
      await db.end();
      await dropDatabase(first.dbName);
    }
  }, 90_000);
});
