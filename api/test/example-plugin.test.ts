// The proof of issue 13: a broker plugin written outside the workspace (examples/broker-example, loaded by path, its
// own package.json, the SDK only) trades LIVE alerts end to end with no change to the core: the ticker is resolved
// against its instrument master, the order goes to its exchange, a fill comes back over its stream, and a resting
// order's fill comes back by its postback, read back from the broker (the postback's body is never trusted).
import path from 'node:path';
import { register, Session } from './harness/graphql-client';
import { startTestApi, TestApi } from './harness/test-api';
import { waitFor } from './harness/pipeline';
import {
  connectBroker,
  executionOf,
  liveStrategy,
  sendAlert,
  sql,
  Strategy,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

const EXAMPLE = path.resolve(__dirname, '../../examples/broker-example');
// The plugin module the api loads (the same module instance in this test's registry): its exchange is the market
const { exchange } = require(EXAMPLE) as { exchange: ExampleExchange };
const ACCOUNT = { clientId: 'EX-1001', accessToken: 'example-token-1001' };
const EXIDX_JUN = { symbol: 'EXIDX-24JUN2098-FUT', exchangeSegment: 'NSE_FNO', securityId: '2001' };

type ExampleExchange = {
  addAccount(c: { clientId: string; accessToken: string }): unknown;
  setPrice(instrument: { symbol: string; exchangeSegment: string; securityId?: string }, price: string): void;
  setPostbackUrl(url: string | null): void;
  setStreamDown(down: boolean): void;
  postbacks: Array<{ body: Record<string, string>; status: number | null; answer: Record<string, string> | null }>;
};

const postback = async (url: string, body: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-example-event': 'order' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('a broker plugin from outside the workspace, loaded by path', () => {
  let api: TestApi;
  let trader: Session;
  let futures: Strategy;
  let postbackUrl: string;
  beforeAll(async () => {
    // Its settings come from BROKER_EXAMPLE_<OPTION> like any plugin's; the order poll is out of the way (hourly)
    api = await startTestApi({
      BROKER_PLUGINS: EXAMPLE,
      ORDER_POLL_SECONDS: '3600',
      BROKER_EXAMPLE_STATIC_IP: '198.51.100.20',
    });
    await api.services.instrumentMaster.refresh();
    exchange.addAccount(ACCOUNT);
    postbackUrl = `${api.url}/api/webhook/brokers/example/postback`;
    exchange.setPostbackUrl(postbackUrl);
    exchange.setPrice(EXIDX_JUN, '22000');
    trader = await register(api.url, 'example-plugin@example.com');
    const connected = await connectBroker(api.url, trader.accessToken, { broker: 'example', ...ACCOUNT });
    expect(connected.data?.connectBroker).toMatchObject({ broker: 'example', status: 'CONNECTED' });
    // The example is the only live broker loaded, so a new strategy's broker defaults to it
    futures = await liveStrategy(api.url, trader.accessToken, { symbol: 'EXIDX', exchangeSegment: 'NSE_FNO' });
  });
  afterAll(async () => {
    exchange.setPostbackUrl(null);
    await api.close();
  });

  it('should store its instrument master and read its settings from the environment', async () => {
    const [stored] = await sql<{ n: string }>(api, `select count(*) as n from instruments where broker = 'example'`);
    expect(stored.n).toBe('7');
    expect((api.services.brokers.plugin('example').options as { staticIp: string }).staticIp).toBe('198.51.100.20');
    const [job] = await sql<{ repeat_interval: string; data: { broker: string } }>(
      api,
      `select * from agenda_jobs where name = 'instruments.refresh'`,
    );
    expect(job).toMatchObject({ repeat_interval: '30 7 * * *', data: { broker: 'example' } });
  });

  it('should trade a continuous future: resolved by the plugin to the nearest contract, filled over its stream', async () => {
    const reply = await sendAlert(api.url, futures, { side: 'BUY', qty: 1 });
    expect(reply.status).toBe(202);
    const filled = await waitForExecution(api, reply.body.alert_id, ['FILLED']);
    expect(filled).toMatchObject({
      security_id: '2001',
      lot_size: '50.0000',
      filled_qty: '50.0000',
      avg_fill_price: '22000.0000',
    });
    const [order] = await sql<{ broker: string; broker_order_id: string }>(
      api,
      'select broker, broker_order_id from executions where id = $1',
      [filled.id],
    );
    expect(order).toMatchObject({ broker: 'example', broker_order_id: expect.stringMatching(/^EX\d+$/) });
  });

  it('should fill a resting order from its postback, reading the order back, never trusting the body', async () => {
    // The stream is down: only the postback (or the hourly poll) can tell the api
    exchange.setStreamDown(true);
    try {
      const reply = await sendAlert(api.url, futures, { side: 'BUY', qty: 1, order_type: 'LIMIT', price: 21900 });
      expect(reply.status).toBe(202);
      const placed = await waitForExecution(api, reply.body.alert_id, ['PLACED']);
      // A forged "filled" postback is accepted and read back: the broker says open, so nothing fills
      const forged = await postback(
        postbackUrl,
        JSON.stringify({
          order_id: placed.broker_order_id,
          client_ref: placed.client_order_id,
          client_id: ACCOUNT.clientId,
          status: 'DONE',
        }),
      );
      expect(forged).toEqual({ status: 200, body: { status: 'accepted', execution_id: placed.id } });
      // The read-backs after placement (0.5-4 s) are over by now
      await new Promise((r) => setTimeout(r, 4500));
      expect(await executionOf(api, reply.body.alert_id)).toMatchObject({ status: 'PLACED', filled_qty: '0.0000' });

      // The market reaches the limit: the exchange's own postback brings the fill, at the exchange's price
      const before = exchange.postbacks.length;
      exchange.setPrice(EXIDX_JUN, '21850');
      const filled = await waitForExecution(api, reply.body.alert_id, ['FILLED'], 3000);
      expect(filled).toMatchObject({ filled_qty: '50.0000', avg_fill_price: '21900.0000' });
      const sent = await waitFor(
        async () => exchange.postbacks.slice(before).find((p) => p.body.status === 'DONE' && p.status !== null),
        3000,
        "the exchange's postback",
      );
      expect(sent).toMatchObject({ status: 200, answer: { status: 'accepted', execution_id: placed.id } });
    } finally {
      exchange.setStreamDown(false);
    }
  });

  it("should answer postbacks by the plugin that parses them: unknown brokers 404, malformed 400, others' orders ignored", async () => {
    const base = `${api.url}/api/webhook`;
    expect(await postback(`${base}/brokers/nobody/postback`, '{}')).toEqual({
      status: 404,
      body: { error: 'unknown_broker' },
    });
    // Loaded, but declares no webhooks
    expect(await postback(`${base}/brokers/paper/postback`, '{}')).toEqual({
      status: 404,
      body: { error: 'unknown_broker' },
    });
    expect(await postback(postbackUrl, '{"order_id": ')).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', details: [{ path: '' }] },
    });
    expect(await postback(postbackUrl, '{"status":"DONE"}')).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', details: [{ path: 'order_id' }] },
    });
    expect(
      await postback(postbackUrl, JSON.stringify({ order_id: 'EX999999', client_ref: 'not-ours', status: 'DONE' })),
    ).toEqual({ status: 200, body: { status: 'ignored' } });
    const [ours] = await sql<{ id: string; client_order_id: string; broker_order_id: string }>(
      api,
      `select * from executions where broker = 'example' and status = 'FILLED' limit 1`,
    );
    const foreign = {
      order_id: ours.broker_order_id,
      client_ref: ours.client_order_id,
      client_id: 'EX-9999',
      status: 'DONE',
    };
    expect(await postback(postbackUrl, JSON.stringify(foreign))).toEqual({ status: 200, body: { status: 'ignored' } });
    // The short path works for any plugin too (DhanHQ's postbacks were set up with /api/webhook/dhan/postback)
    const mine = { ...foreign, client_id: ACCOUNT.clientId };
    expect(await postback(`${base}/example/postback`, JSON.stringify(mine))).toEqual({
      status: 200,
      body: { status: 'accepted', execution_id: ours.id },
    });
  });

  it('should refuse tickers its master does not know, or knows only as expired contracts, with 422 unknown_symbol', async () => {
    const unknown = await liveStrategy(api.url, trader.accessToken, { symbol: 'NOSUCHCO' });
    expect(await sendAlert(api.url, unknown, {})).toMatchObject({
      status: 422,
      body: { status: 'rejected', reason: 'unknown_symbol' },
    });
    const expired = await liveStrategy(api.url, trader.accessToken, {
      symbol: 'EXIDX-30JAN2020-FUT',
      exchangeSegment: 'NSE_FNO',
    });
    const reply = await sendAlert(api.url, expired, {});
    expect(reply).toMatchObject({ status: 422, body: { reason: 'unknown_symbol' } });
    expect(reply.body.message).toMatch(/expired on 2020-01-30/);
  });
});
