// A paper position's backlog is claimed in batches (issue 13): alerts queued behind the position's turn are claimed
// several at a time, in one statement, then decided and filled one after another in arrival order, each against the
// position the previous fill left, and their ends are written in one statement after the turn. Before, every order
// cost its own claim and its own end. The paper venue places a batch's orders in one call (has.batchPlacement, one
// statement) and their fills are written in one statement; before, each order cost a venue statement and a fill write.
import { Client } from 'pg';
import { CountedApi, startCountedApi } from './harness/counted-api';
import { databaseUrl } from './harness/databases';
import { paperBacklog } from './harness/paper-backlog';
import { waitFor } from './harness/pipeline';

const ALERTS = 40;

describe('a paper position with a backlog', () => {
  let api: CountedApi;
  let db: Client;
  beforeAll(async () => {
    api = await startCountedApi();
    db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('should claim the queued alerts in batches and fill them in arrival order', async () => {
    const backlog = await paperBacklog(api, db, {
      email: 'backlog-batch@example.com',
      symbol: 'RELIANCE',
      price: 2500,
    });
    let alertIds: string[] = [];
    try {
      // In sequence, so the arrival order is known, while the test holds the position's turn (they all queue behind
      // it): buy 1, sell 1, buy 1, ... (the strategy reverses on an opposite signal: each alert after the first turns
      // the position around, 2 units, sized from the previous fill)
      alertIds = await backlog.queueBehindTurn(
        Array.from({ length: ALERTS }, (_, i): 'BUY' | 'SELL' => (i % 2 ? 'SELL' : 'BUY')),
      );
      const counted = await api.count(async () => {
        await backlog.release();
        await waitFor(async () => backlog.filled().length >= ALERTS, 30_000, 'every ORDER_FILLED');
      });
      // One claim per order before (40); a batch takes up to 16 at once
      const claims = counted.kinds.get('with executions (locking)') ?? 0;
      expect(claims).toBeGreaterThan(0);
      expect(claims).toBeLessThanOrEqual(ALERTS / 4);
      // And the ends of a batch's attempts are one statement after its turn, not one each (40 before)
      const ends = counted.kinds.get('with executions') ?? 0;
      expect(ends).toBeLessThanOrEqual(ALERTS / 4);
      // A batch's orders go to the paper venue in one call, one statement for them all, and their fills are written
      // in one statement too (one venue fill and one fill write per order before: 40 each)
      const venue =
        (counted.kinds.get('with paper_positions') ?? 0) + (counted.kinds.get('insert paper_positions') ?? 0);
      expect(venue).toBeLessThanOrEqual(ALERTS / 4);
      const fills = counted.kinds.get('with positions (locking)') ?? 0;
      expect(fills).toBeLessThanOrEqual(ALERTS / 4);
      expect(counted.kinds.get('with positions') ?? 0).toBeLessThanOrEqual(ALERTS / 4);
    } finally {
      await backlog.dispose();
    }

    // Filled in arrival order, each against the position the previous one left: buy opens 1, then each reverses it
    const { rows } = await db.query<{ side: string; qty: string; filled_at: Date }>(
      `select e.side, e.qty, ev.at as filled_at from executions e
       join execution_events ev on ev.execution_id = e.id and ev.type = 'ORDER_FILLED'
       where e.alert_id = any($1) order by e.created_at, e.id`,
      [alertIds],
    );
    expect(rows).toHaveLength(ALERTS);
    rows.forEach((row, i) => {
      expect(row.side).toBe(i % 2 ? 'SELL' : 'BUY');
      expect(Number(row.qty)).toBe(i === 0 ? 1 : 2);
      if (i > 0) expect(row.filled_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].filled_at.getTime());
    });
    const position = await db.query(`select qty from positions where strategy_id = $1 and symbol = 'RELIANCE'`, [
      backlog.strategy.id,
    ]);
    expect(Number(position.rows[0].qty)).toBe(-1);
    // Every alert ends PROCESSED and no execution keeps its lease (the batch's ends are written after the turn)
    await waitFor(
      async () => {
        const done = await db.query(
          `select count(*)::int as n from alerts a join executions e on e.alert_id = a.id
           where a.id = any($1) and a.status = 'PROCESSED' and e.lease_until is null and e.status = 'FILLED'`,
          [alertIds],
        );
        return done.rows[0].n === ALERTS;
      },
      5000,
      'every alert PROCESSED, no lease left',
    );
  }, 90_000);
});
