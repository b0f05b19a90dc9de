// A paper position's backlog is placed at the venue in one call and its fills written in one statement (issue 13).
// When that write fails after the venue filled the orders (here: the database refuses the first fills insert once),
// no fill may be lost and none recorded twice: the batch's fills are then written one at a time, and the position,
// the executions and their events come out as if nothing had failed.
import { Client } from 'pg';
import { databaseUrl } from './harness/databases';
import { failNextInsertOnce, paperBacklog } from './harness/paper-backlog';
import { startTestApi, TestApi } from './harness/test-api';
import { waitFor } from './harness/pipeline';

const ALERTS = 20;
// sell, buy, sell, ...: each reverses the position, 2 units, sized from the previous fill
const REVERSALS = Array.from({ length: ALERTS }, (_, i): 'BUY' | 'SELL' => (i % 2 ? 'BUY' : 'SELL'));

describe('a paper batch whose fill write fails', () => {
  let api: TestApi;
  let db: Client;
  beforeAll(async () => {
    api = await startTestApi();
    db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('should record every fill once, in arrival order, after the failed write', async () => {
    const backlog = await paperBacklog(api, db, {
      email: 'batch-recovery@example.com',
      symbol: 'RELIANCE',
      price: 2500,
    });
    const filled = backlog.filled;
    try {
      await backlog.fillFirst('BUY');
      const fired = await failNextInsertOnce(db, 'fail_fills_once', 'fills');
      const alertIds = await backlog.queueBehindTurn(REVERSALS);
      await backlog.release();
      await waitFor(async () => filled().length >= ALERTS + 1, 30_000, 'every ORDER_FILLED');
      // The failure happened (the trigger fired again for the writes after it)
      expect(await fired()).toBeGreaterThan(1);

      // One fill per execution, each execution FILLED with one ORDER_FILLED, in arrival order
      const { rows } = await db.query<{ side: string; qty: string; status: string; fills: number; events: number }>(
        `select e.side, e.qty, e.status,
           (select count(*)::int from fills f where f.execution_id = e.id) as fills,
           (select count(*)::int from execution_events ev where ev.execution_id = e.id and ev.type = 'ORDER_FILLED') as events
         from executions e where e.alert_id = any($1) order by e.created_at, e.id`,
        [alertIds],
      );
      expect(rows).toHaveLength(ALERTS);
      rows.forEach((row, i) => {
        expect(row.side).toBe(i % 2 ? 'BUY' : 'SELL');
        expect(Number(row.qty)).toBe(2);
        expect(row.status).toBe('FILLED');
        expect(row.fills).toBe(1);
        expect(row.events).toBe(1);
      });
      expect(filled()).toHaveLength(ALERTS + 1);
      // The api's position is the venue's: +1, then twenty reversals end long 1
      const { rows: position } = await db.query(
        `select qty from positions where strategy_id = $1 and symbol = 'RELIANCE'`,
        [backlog.strategy.id],
      );
      expect(Number(position[0].qty)).toBe(1);
      const { rows: venue } = await db.query(
        `select sum(net_quantity) as qty, (select count(*)::int from paper_fills where symbol = 'RELIANCE') as fills
         from paper_positions where symbol = 'RELIANCE'`,
      );
      expect(Number(venue[0].qty)).toBe(1);
      expect(venue[0].fills).toBe(ALERTS + 1);
    } finally {
      await backlog.dispose();
    }
  }, 90_000);

  // The venue's one call for the batch fails (here: its insert of the orders, once): none of the batch may be lost or
  // placed twice; each is then attempted on its own, looked up at the venue first, as a retry is
  it('should place every order of a batch whose venue call failed once, one at a time, each once', async () => {
    const backlog = await paperBacklog(api, db, {
      email: 'batch-venue-failure@example.com',
      symbol: 'TCS',
      price: 3500,
    });
    const filled = backlog.filled;
    try {
      await backlog.fillFirst('BUY');
      const fired = await failNextInsertOnce(db, 'fail_venue_once', 'paper_orders');
      const alertIds = await backlog.queueBehindTurn(REVERSALS);
      await backlog.release();
      await waitFor(async () => filled().length >= ALERTS + 1, 30_000, 'every ORDER_FILLED');
      expect(await fired()).toBeGreaterThan(1);

      // Each in its first attempt (the batch's fallback, not a retry of an order that failed alone)
      const { rows } = await db.query<{ side: string; qty: string; status: string; attempts: number; fills: number }>(
        `select e.side, e.qty, e.status, e.attempts,
           (select count(*)::int from fills f where f.execution_id = e.id) as fills
         from executions e where e.alert_id = any($1) order by e.created_at, e.id`,
        [alertIds],
      );
      expect(rows.map((r) => [r.side, Number(r.qty), r.status, r.attempts, r.fills])).toEqual(
        alertIds.map((_, i) => [i % 2 ? 'BUY' : 'SELL', 2, 'FILLED', 1, 1]),
      );
      expect(filled()).toHaveLength(ALERTS + 1);
      const { rows: venue } = await db.query(
        `select (select sum(net_quantity) from paper_positions where symbol = 'TCS') as qty,
           (select count(*)::int from paper_orders where symbol = 'TCS') as orders,
           (select count(*)::int from paper_fills where symbol = 'TCS') as fills`,
      );
      expect({ qty: Number(venue[0].qty), orders: venue[0].orders, fills: venue[0].fills }).toEqual({
        qty: 1,
        orders: ALERTS + 1,
        fills: ALERTS + 1,
      });
    } finally {
      await backlog.dispose();
    }
  }, 90_000);
});
