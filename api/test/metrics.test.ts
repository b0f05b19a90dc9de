import net from 'node:net';
import { NetworkError, BrokerClient } from '@algodatta/broker-sdk';
import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitFor, waitForStatus } from './harness/pipeline';
import { instrumentBrokerClient } from '../src/modules/brokers/instrumented-client';
import { registry } from '../src/metrics/metrics';
import { FakeTelegram } from './harness/fake-telegram';
import { linkTelegram, notificationEnv } from './harness/notifications-kit';

const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(url: string, token?: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

// The value of one sample line, e.g. value(text, 'algodatta_alerts_total{outcome="accepted",reason=""}')
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('/metrics', () => {
  describe('behind METRICS_TOKEN on the api port', () => {
    let api: TestApi;
    let trader: Session;
    beforeAll(async () => {
      api = await startTestApi({ METRICS_TOKEN: TOKEN, BROKER_PAPER_MARKET_HOURS: 'ignore' });
      trader = await register(api.url, 'metrics@example.com');
    });
    afterAll(async () => {
      await api.close();
    });

    it('should refuse a scrape without the token or with a wrong one', async () => {
      expect((await scrape(`${api.url}/metrics`)).status).toBe(401);
      expect((await scrape(`${api.url}/metrics`, 'x'.repeat(30))).status).toBe(401);
      expect((await scrape(`${api.url}/metrics`, TOKEN)).status).toBe(200);
    });

    it('should count webhook answers by outcome and reason, executions by status and the latencies of a paper fill', async () => {
      const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', qty: 1 });
      const alert = { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 1, price: 2500 };
      const accepted = await postAlert(api.url, alert);
      expect(accepted.status).toBe(202);
      expect((await postAlert(api.url, alert)).status).toBe(200);
      expect((await postAlert(api.url, { ...alert, secret: 'whsec_wrong', idempotency_key: uniqueKey() })).status).toBe(
        401,
      );
      expect((await postAlert(api.url, { ...alert, idempotency_key: uniqueKey(), qty: -1 })).status).toBe(400);
      await waitForStatus(api.url, trader.accessToken, accepted.body.alert_id, ['FILLED']);
      await gql(
        api.url,
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { id } }',
        { id: strategy.id },
        trader.accessToken,
      );
      const rejected = await postAlert(api.url, { ...alert, idempotency_key: uniqueKey() });
      expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'strategy_disabled' });

      // The fill's events reach the metrics listener after the commit: poll the scrape
      const text = await waitFor(
        async () => {
          const { text } = await scrape(`${api.url}/metrics`, TOKEN);
          return (value(text, 'algodatta_executions_total{status="FILLED"}') ?? 0) >= 1 &&
            (value(text, 'algodatta_executions_total{status="REJECTED"}') ?? 0) >= 1
            ? text
            : undefined;
        },
        5000,
        'FILLED and REJECTED in /metrics',
      );
      expect(value(text, 'algodatta_alerts_total{outcome="accepted",reason=""}')).toBe(1);
      expect(value(text, 'algodatta_alerts_total{outcome="duplicate",reason=""}')).toBe(1);
      expect(value(text, 'algodatta_alerts_total{outcome="unauthorized",reason=""}')).toBe(1);
      expect(value(text, 'algodatta_alerts_total{outcome="invalid_payload",reason=""}')).toBe(1);
      expect(value(text, 'algodatta_alerts_total{outcome="rejected",reason="strategy_disabled"}')).toBe(1);
      expect(value(text, 'algodatta_alert_ack_seconds_count{outcome="accepted"}')).toBe(1);
      expect(value(text, 'algodatta_executions_total{status="PENDING"}')).toBe(2);
      expect(value(text, 'algodatta_executions_total{status="PLACED"}')).toBe(1);
      expect(value(text, 'algodatta_alert_to_placed_seconds_count')).toBe(1);
      expect(value(text, 'algodatta_alert_to_fill_seconds_count')).toBe(1);
      expect(
        value(text, 'algodatta_broker_request_seconds_count{broker="paper",method="placeOrder",outcome="ok"}'),
      ).toBe(1);
      // The Agenda jobs are listed (0: none overdue); the process metrics come with the prefix
      expect(value(text, 'algodatta_job_lag_seconds{job="executions.recover"}')).toBe(0);
      expect(text).toContain('algodatta_process_cpu_user_seconds_total');
      expect(text).toContain('# TYPE algodatta_notification_deliveries_total counter');
    });

    it('should report the orders waiting per tenant', async () => {
      const [{ id: userId }] = await api.db.orm.em
        .getConnection()
        .execute<Array<{ id: string }>>('select id from users where email = ?', ['metrics@example.com']);
      const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', qty: 1 });
      const accepted = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        side: 'BUY',
        qty: 1,
        price: 4000,
      });
      await waitForStatus(api.url, trader.accessToken, accepted.body.alert_id, ['FILLED']);
      // Put back to PENDING, as an order still waiting in the executor's queue
      await api.db.orm.em
        .getConnection()
        .execute(`update executions set status = 'PENDING' where alert_id = ?`, [accepted.body.alert_id]);
      const { text } = await scrape(`${api.url}/metrics`, TOKEN);
      expect(value(text, `algodatta_executor_queue_depth{tenant="${userId}"}`)).toBe(1);
    });
  });

  it('should not serve /metrics on the api port when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const api = await startTestApi();
    try {
      expect((await scrape(`${api.url}/metrics`)).status).toBe(404);
    } finally {
      await api.close();
    }
  });

  it('should serve /metrics on METRICS_PORT only, and not on the api port', async () => {
    const port = await freePort();
    const api = await startTestApi({ METRICS_PORT: String(port) });
    try {
      const own = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      expect(own.type).toContain('text/plain');
      expect(own.text).toContain('# TYPE algodatta_alerts_total counter');
      expect((await scrape(`${api.url}/metrics`)).status).toBe(404);
    } finally {
      await api.close();
    }
    // Closed with the api
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('should count notification deliveries by channel kind and result', async () => {
    const telegram = await FakeTelegram.start();
    const api = await startTestApi({ ...notificationEnv(telegram), METRICS_TOKEN: TOKEN });
    try {
      const trader = await register(api.url, 'notified@example.com');
      const channelId = await linkTelegram(api.url, trader.accessToken, telegram, '4242');
      const count = async (status: string) =>
        value(
          (await scrape(`${api.url}/metrics`, TOKEN)).text,
          `algodatta_notification_deliveries_total{kind="TELEGRAM",status="${status}"}`,
        ) ?? 0;
      const sentBefore = await count('SENT');
      const test = 'mutation($id: ID!) { sendTestNotification(channelId: $id) }';
      await gql(api.url, test, { id: channelId }, trader.accessToken);
      await waitFor(async () => (await count('SENT')) === sentBefore + 1, 8000, 'one more SENT');
      // Telegram answers 500 once: a failed attempt (retried later)
      telegram.failNext('sendMessage', 500);
      const failedBefore = await count('FAILED');
      await gql(api.url, test, { id: channelId }, trader.accessToken);
      await waitFor(async () => (await count('FAILED')) === failedBefore + 1, 8000, 'one FAILED attempt');
    } finally {
      await api.close();
      await telegram.close();
    }
  });

  it('should time broker calls and count failures by error code', async () => {
    const client = {
      placeOrder: async () => {
        throw new NetworkError('connection reset', { broker: 'flaky' });
      },
      funds: async () => ({ available: '1', used: '0', total: '1' }),
    } as unknown as BrokerClient;
    const instrumented = instrumentBrokerClient('flaky', client);
    await expect(instrumented.placeOrder({} as never)).rejects.toBeInstanceOf(NetworkError);
    await expect(instrumented.funds()).resolves.toMatchObject({ total: '1' });
    const text = await registry.metrics();
    expect(value(text, 'algodatta_broker_errors_total{broker="flaky",method="placeOrder",code="NETWORK_ERROR"}')).toBe(
      1,
    );
    expect(
      value(text, 'algodatta_broker_request_seconds_count{broker="flaky",method="placeOrder",outcome="error"}'),
    ).toBe(1);
    expect(value(text, 'algodatta_broker_request_seconds_count{broker="flaky",method="funds",outcome="ok"}')).toBe(1);
  });
});
