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

describe('a steady stream of alerts to one position', () => {
  const lingering = countedPaperStrategyForSuite('linger@example.com', 1000, { POSITION_TURN_LINGER_MS: '1000' });

  it('should keep the turn a moment for the next alert of a steady stream, and give it back once the stream stops', async () => {
    const paper = lingering();
    const { api, strategy } = paper;
    const SEQUENTIAL = 20;
    const start = paper.filled();
    // One alert at a time, each sent as soon as the previous one's ORDER_FILLED arrived (within the linger, set long
    // here so a loaded machine's gaps fit in it)
    const counted = await api.count(async () => {
      for (let i = 0; i < SEQUENTIAL; i++) {
        expect((await postAlert(api.url, alternatingAlert(strategy.secret, i))).status).toBe(202);
        await waitFor(async () => paper.filled() >= start + i + 1, 10_000, `ORDER_FILLED ${i}`);
      }
    });
    // One take per alert before: nobody waited for the turn when each attempt ended, so it was given back
    const takes = counted.kinds.get('select take_position_turn') ?? 0;
    expect(takes).toBeGreaterThan(0);
    expect(takes).toBeLessThanOrEqual(SEQUENTIAL / 2);
    // The stream has stopped: the turn is free again soon (another process could take it)
    const db = new Client({ connectionString: databaseUrl(api.dbName) });
    await db.connect();
    try {
      const key = `${strategy.id}|RELIANCE|PAPER`;
      await waitFor(
        async () =>
          (await db.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [key])).rows[0].ok === true,
        2000,
        'the turn given back',
      );
      await db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    } finally {
      await db.end();
    }
  });
});
