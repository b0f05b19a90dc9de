import net from 'node:net';
import { startTestApi, TestApi } from './harness/test-api';
import { databaseUrl, queryDatabase } from './harness/databases';
import { register } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey } from './harness/pipeline';

// A caller that sends its request and resets the connection at once leaves a socket whose peer address cannot be
// read any more (getpeername fails) while its request is still parsed. Reading the client's address then threw in
// the webhook's handler: an uncaught exception, which exits the api in production (fatal-handlers.ts). Seen in a
// loaded CI run of executor-fairness; here on purpose.
const RESETS = 50;

function sendAndReset(port: number, path: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.resetAndDestroy();
      resolve();
    });
    socket.on('error', () => resolve());
  });
}

describe('a caller that resets its connection right after sending', () => {
  let api: TestApi;
  let strategy: Deployed;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    api = await startTestApi();
    const trader = await register(api.url, 'peer-reset@example.com');
    strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY' });
    process.on('uncaughtException', record);
  });

  afterAll(async () => {
    process.off('uncaughtException', record);
    await api?.close();
  });

  it('should neither throw nor take the alert, and keep serving everyone else', async () => {
    const port = Number(new URL(api.url).port);
    const alert = (key: string) =>
      JSON.stringify({ secret: strategy.secret, idempotency_key: key, side: 'BUY', qty: 1, price: 1500 });
    await Promise.all(
      Array.from({ length: RESETS }, (_, i) => [
        sendAndReset(port, '/api/webhook/tradingview', alert(`reset-${i}`)),
        sendAndReset(port, '/graphql', JSON.stringify({ query: '{ __typename }' })),
      ]).flat(),
    );
    // Whatever was still being read is done once the api answers a request sent after all of them
    const reply = await postAlert(api.url, JSON.parse(alert(uniqueKey())));
    expect(reply.status).toBe(202);
    expect(uncaught).toEqual([]);
    const [{ n }] = await queryDatabase(
      databaseUrl(api.dbName),
      `select count(*)::int as n from alerts where idempotency_key like 'reset-%'`,
    );
    expect(n).toBe(0);
  });
});
