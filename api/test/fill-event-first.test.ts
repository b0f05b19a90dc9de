// A lone paper order's ORDER_FILLED is what its sender waits for (issue 13: alert -> ORDER_FILLED p99 at 100/s). The
// fill's events are published as the fill is written; the end of the attempt (lease, request and answer, the alert's
// status) is written after the turn. That statement, issued while the events were still on their way through the
// subscription (microtasks), handed the CPU to PostgreSQL before ORDER_FILLED was sent: it now waits until they are.
// The api runs in this process, so its `pg` and `ws` are this test's: the order of the two is read off them.
import { Client } from 'pg';
import { WebSocket } from 'ws';
import { countedPaperStrategyForSuite } from './harness/counted-api';
import { waitFor } from './harness/pipeline';

describe('a lone paper order', () => {
  const paperStrategy = countedPaperStrategyForSuite('fill-event-first@example.com', 1000);

  it('should send its ORDER_FILLED event to the subscriber before the end of its attempt is written', async () => {
    const paper = paperStrategy();
    const order = (i: number) => paper.fillOne(i);
    // Warm: caches and prepared statements
    for (let i = 0; i < 2; i += 1) await order(i);

    const seen: string[] = [];
    const queryOriginal = Client.prototype.query;
    const sendOriginal = WebSocket.prototype.send;
    const query = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: any[]) {
      const text: string = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '');
      if (/with released as \(\s*update executions set lease_until = null, qty = /.test(text)) seen.push('end');
      return (queryOriginal as (...a: any[]) => any).apply(this, args);
    });
    const send = jest.spyOn(WebSocket.prototype, 'send').mockImplementation(function (this: WebSocket, ...args: any[]) {
      if (String(args[0]).includes('ORDER_FILLED')) seen.push('filled');
      return (sendOriginal as (...a: any[]) => any).apply(this, args);
    });
    // Now and then the subscription's session check reads the user from the database (its cache refreshed,
    // live-sessions.ts): that order's delivery waits for I/O and its end goes first. Before the change every order's
    // end went first (0 of 145 traced at 10/s); since, 138-139 of 145 went after ORDER_FILLED.
    const ORDERS = 8;
    let filledFirst = 0;
    try {
      for (let i = 2; i < 2 + ORDERS; i += 1) {
        seen.length = 0;
        await order(i);
        await waitFor(async () => seen.includes('end'), 8000, 'the end of the attempt');
        if (seen[0] === 'filled') filledFirst += 1;
      }
      expect(filledFirst).toBeGreaterThanOrEqual(ORDERS / 2);
    } finally {
      query.mockRestore();
      send.mockRestore();
    }
  });
});
