import { Client } from 'pg';
import { startTestApi, TestApi } from './harness/test-api';
import { databaseUrl } from './harness/databases';
import { register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, subscribeEvents, uniqueKey, waitFor, WebhookReply } from './harness/pipeline';

// Issue 11, item 8: one user's burst must not stall another user's orders; the executor's memory is bounded and a
// strategy whose backlog grows is told to back off.
async function sql<T = Record<string, unknown>>(api: TestApi, text: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: databaseUrl(api.dbName) });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

// What the webhook does for each alert of a burst, without HTTP (fast enough to build a backlog in a test)
async function burst(api: TestApi, strategyId: string, secret: string, n: number): Promise<void> {
  const strategy = (await api.services.strategyCache.byId(strategyId))!;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const result = await api.services.intake.accept(
        strategy,
        {
          secret,
          idempotencyKey: uniqueKey(),
          side: i % 2 ? 'SELL' : 'BUY',
          qty: '1',
          orderType: 'MARKET',
          price: '2500',
        },
        '{}',
        '127.0.0.1',
      );
      if (result.kind !== 'accepted') throw new Error(`burst alert ${i}: ${result.kind}`);
      api.services.executor.start({ ...result, strategyId, userId: strategy.user.id, mode: strategy.mode });
    }),
  );
}

const pending = async (api: TestApi, strategyId: string) =>
  Number(
    (
      await sql<{ n: string }>(
        api,
        `select count(*) as n from executions where strategy_id = $1 and status = 'PENDING'`,
        [strategyId],
      )
    )[0].n,
  );

describe("another user during one user's burst", () => {
  let api: TestApi;
  let busy: Session;
  let calm: Session;
  beforeAll(async () => {
    api = await startTestApi({ EXECUTOR_QUEUE_MAX: '500' });
    busy = await register(api.url, 'busy@example.com');
    calm = await register(api.url, 'calm@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  it("should fill the other user's alert while most of two thousand of the burst still wait", async () => {
    const flood = await createAndDeploy(api.url, busy.accessToken, { symbol: 'RELIANCE', alertsPerMinute: 1_000_000 });
    const quiet = await createAndDeploy(api.url, calm.accessToken, { symbol: 'TCS' });
    await burst(api, flood.id, flood.secret, 2000);
    // Memory holds at most EXECUTOR_QUEUE_MAX of them; the rest wait in PostgreSQL
    expect(api.services.executor.isBacklogged(flood.id)).toBe(true);

    const sub = subscribeEvents(api.port, calm.accessToken, { s: quiet.id });
    await sub.ready;
    const sent = Date.now();
    const reply = await postAlert(api.url, {
      secret: quiet.secret,
      idempotency_key: uniqueKey(),
      side: 'BUY',
      qty: 1,
      price: 4000,
    });
    expect(reply.status).toBe(202);
    await waitFor(
      async () => sub.events.some((e) => e.type === 'ORDER_FILLED' && e.alertId === reply.body.alert_id),
      10_000,
      "the calm user's fill",
    );
    const took = Date.now() - sent;
    await sub.client.dispose();
    const stillWaiting = await pending(api, flood.id);
    // Fairness is that it did not queue behind the burst: over 500 of the burst still wait when it is filled (the
    // burst drains in 30-60 s). How fast is the bench's figure (pipeline-fairness.js: within 1 s, p99 0.3-0.6 s);
    // here 0.3-0.8 s, but 1.7 s with four CPU hogs beside the test (both before and after 6bd80e0), so the bound
    // only rules out waiting for the burst.
    expect({ took: took < 5000, stillWaiting: stillWaiting > 500 }).toEqual({ took: true, stillWaiting: true });

    // The burst itself completes, every alert once, in arrival order
    // 2000 paper orders on one position: ~30 s on a quiet 2-core machine, twice that while other suites run
    await waitFor(async () => (await pending(api, flood.id)) === 0, 150_000, 'the burst to drain');
    const rows = await sql<{ status: string; n: string }>(
      api,
      'select status, count(*) as n from executions where strategy_id = $1 group by status',
      [flood.id],
    );
    expect(rows).toEqual([{ status: 'FILLED', n: '2000' }]);
    const order = await sql<{ created_at: Date; filled_at: Date }>(
      api,
      `
      select e.created_at, ev.at as filled_at from executions e join execution_events ev on ev.execution_id = e.id and ev.type = 'ORDER_FILLED'
      where e.strategy_id = $1 order by e.created_at`,
      [flood.id],
    );
    const overtaken = order.filter((r, i) => i > 0 && r.filled_at < order[i - 1].filled_at).length;
    expect(overtaken).toBe(0);
  }, 200_000);
});

describe('backpressure at the webhook', () => {
  it("should answer 429 backlog once a strategy's accepted alerts pile up, fill every accepted one, and accept again once drained", async () => {
    const api = await startTestApi({ STRATEGY_BACKLOG_MAX: '20', EXECUTOR_CONCURRENCY: '1' });
    try {
      const trader = await register(api.url, 'backlog@example.com');
      const strategy = await createAndDeploy(api.url, trader.accessToken, {
        symbol: 'INFY',
        alertsPerMinute: 1_000_000,
      });
      // 400 alerts from 40 callers at once: the executor fills one at a time, so the backlog piles up all the same.
      // (400 connections opened at once from this one process lost one to a connection reset on a loaded CI run.)
      const replies: WebhookReply[] = [];
      let sent = 0;
      const caller = async () => {
        for (let i = sent++; i < 400; i = sent++)
          replies[i] = await postAlert(api.url, {
            secret: strategy.secret,
            idempotency_key: uniqueKey(),
            side: i % 2 ? 'SELL' : 'BUY',
            qty: 1,
            price: 1500,
          });
      };
      await Promise.all(Array.from({ length: 40 }, caller));
      const refused = replies.filter((r) => r.status === 429);
      const accepted = replies.filter((r) => r.status === 202);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0].body).toEqual({ error: 'backlog' });
      expect(accepted.length + refused.length).toBe(400);
      await waitFor(async () => (await pending(api, strategy.id)) === 0, 30_000, 'the backlog to drain');
      const filled = await sql<{ n: string }>(
        api,
        `select count(*) as n from executions where strategy_id = $1 and status = 'FILLED'`,
        [strategy.id],
      );
      expect(Number(filled[0].n)).toBe(accepted.length);
      const again = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 1,
        price: 1500,
      });
      expect(again.status).toBe(202);
    } finally {
      await api.close();
    }
  }, 60_000);
});
