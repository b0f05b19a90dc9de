import { PassThrough } from 'node:stream';
import winston from 'winston';
import { logger } from '../src/shared/logger';
import { startTestApi, TestApi } from './harness/test-api';
import { register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';
import { adminQuery } from './harness/databases';

// A connection pool lives longer than the request that opened it: when PostgreSQL drops its idle connections
// (a restart, a failover), the line that says so must not name that old request's correlation id.
describe('idle PostgreSQL connections lost', () => {
  let api: TestApi;
  const lines: Array<Record<string, unknown>> = [];
  const stream = new PassThrough();
  const transport = new winston.transports.Stream({ stream });
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });

  beforeAll(async () => {
    api = await startTestApi();
    logger.add(transport);
  });
  // Stopping after every connection was cut waits for the pools to notice; on a loaded machine that took over 30 s
  afterAll(async () => {
    logger.remove(transport);
    await api.close();
  }, 90_000);

  it('should be a warning that names no request, after the paper broker served an order', async () => {
    const trader = await register(api.url, 'pools@example.com');
    const strategy = await createAndDeploy(api.url, trader.accessToken, {});
    const reply = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      symbol: 'RELIANCE',
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED'], 20_000);

    // what a database restart does to every idle connection
    await adminQuery(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${api.dbName}' and pid <> pg_backend_pid()`,
    );
    const paperLines = await waitFor(
      async () => {
        const found = lines.filter((l) => l.broker === 'paper');
        return found.length ? found : undefined;
      },
      5000,
      'the paper pool to report its lost connections',
    );
    for (const line of paperLines) {
      expect(line).toMatchObject({ level: 'warn', message: 'paper: idle PostgreSQL connection lost' });
      expect(line.correlationId).toBeUndefined();
    }
    // and the order path still works on fresh connections
    const next = await postAlert(api.url, {
      secret: strategy.secret,
      idempotency_key: uniqueKey(),
      symbol: 'RELIANCE',
      side: 'SELL',
      qty: 1,
      price: 2510,
    });
    await waitForStatus(api.url, trader.accessToken, next.body.alert_id, ['FILLED'], 20_000);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  }, 60_000);
});
