// Whether a strategy may have an open exit plan is kept in memory by every api process (issue 13: most strategies
// have none, and a priced alert or a fill then reads no exit_plans). A plan that another process opens must reach
// that memory at once (the exit_plans change trigger -> NOTIFY): here process B has just learnt that the strategy has
// no plan, process A then opens one, and a crossing price sent to B must still fire its stop.
import { Client } from 'pg';
import { ApiCluster, startCluster } from './harness/api-cluster';
import { register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';

describe('exit plans opened by another api process', () => {
  let cluster: ApiCluster;
  let db: Client;
  beforeAll(async () => {
    cluster = await startCluster(2, { BROKER_PAPER_SLIPPAGE_BPS: '0', RECOVERY_SWEEP_SECONDS: '3600' });
    db = new Client({ connectionString: cluster.dbUrl });
    await db.connect();
  }, 200_000);
  afterAll(async () => {
    await db?.end();
    await cluster?.stop();
  });

  it('should judge a price sent to one process against a plan the other opened a moment ago', async () => {
    const [a, b] = cluster.apis;
    const trader = await register(a.url, 'open-plans@example.com');
    const s = await createAndDeploy(a.url, trader.accessToken, { symbol: 'RELIANCE', qty: 1 });
    const send = (url: string, fields: Record<string, unknown>) =>
      postAlert(url, { secret: s.secret, idempotency_key: uniqueKey(), symbol: 'RELIANCE', ...fields });
    // B judges a priced alert without exits: the strategy has no plan (B remembers that), and its fill opens none
    const plain = await send(b.url, { side: 'BUY', qty: 1, price: 2500 });
    expect(plain.status).toBe(202);
    await waitForStatus(b.url, trader.accessToken, plain.body.alert_id, ['FILLED']);
    // A's entry opens a plan (stop 2480)
    const entry = await send(a.url, { side: 'BUY', qty: 1, price: 2500, stop_loss: '20pts' });
    expect(entry.status).toBe(202);
    await waitFor(
      async () =>
        (await db.query(`select 1 from exit_plans where strategy_id = $1 and status = 'ACTIVE'`, [s.id])).rowCount,
      8000,
      'an active plan',
    );
    // A price through the stop, to B: B must know of A's plan and send one EXIT
    expect((await send(b.url, { side: 'PRICE', price: 2470 })).status).toBe(202);
    const exits = await waitFor(
      async () => {
        const { rows } = await db.query(`select status from executions where strategy_id = $1 and source = 'exit'`, [
          s.id,
        ]);
        return rows.length && rows.every((r) => r.status === 'FILLED') ? rows : undefined;
      },
      8000,
      'the exit to fill',
    );
    expect(exits).toHaveLength(1);
  }, 60_000);
});
