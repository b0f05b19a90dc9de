// A burst of alerts to one position (issue 13): each order is decided inside the position's turn across processes
// (issue 19), and an attempt that ends while the position's next attempt already waits hands the turn on instead of
// giving it back and having it taken again, so a backlog costs no lock round trip per order. The paper fill's own end
// (lease, request, the alert's status) is written after the turn: every alert still ends PROCESSED.
import { alternatingAlert, countedPaperStrategyForSuite } from './harness/counted-api';
import { databaseUrl } from './harness/databases';
import { postAlert, waitFor } from './harness/pipeline';
import { Client } from 'pg';

const ALERTS = 30;

describe('a burst of alerts to one position', () => {
  const paperStrategy = countedPaperStrategyForSuite('hand-on@example.com', 1000);

  it('should hand the position turn on from one attempt to the next, and still end every alert', async () => {
    const paper = paperStrategy();
    const { api, strategy } = paper;
    const alertIds: string[] = [];
    const counted = await api.count(async () => {
      const replies = await Promise.all(
        Array.from({ length: ALERTS }, (_, i) => postAlert(api.url, alternatingAlert(strategy.secret, i))),
      );
      for (const reply of replies) {
        expect(reply.status).toBe(202);
        alertIds.push(reply.body.alert_id);
      }
      await waitFor(async () => paper.filled() >= ALERTS, 20_000, 'every ORDER_FILLED');
    });
    const takes = counted.kinds.get('select take_position_turn') ?? 0;
    // One take per order before: every attempt took the turn and gave it back
    expect(takes).toBeGreaterThan(0);
    expect(takes).toBeLessThan(ALERTS);
    // The ends written after the turn: every alert is PROCESSED, no execution keeps its lease
    const db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
    try {
      await waitFor(
        async () => {
          const { rows } = await db.query(
            `select count(*)::int as n from alerts where id = any($1) and status = 'PROCESSED' and processed_at is not null`,
            [alertIds],
          );
          return rows[0].n === ALERTS;
        },
        5000,
        'every alert PROCESSED',
      );
      const { rows } = await db.query(
        `select count(*)::int as n from executions where alert_id = any($1) and (lease_until is not null or status <> 'FILLED')`,
        [alertIds],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });
});
