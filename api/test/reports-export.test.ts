import { parse } from 'csv-parse/sync';
import { istParts } from '../src/shared/ist';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, EXECUTION_FIELDS, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

const DAY_MS = 86_400_000;
// Executions are made now: a range from yesterday to tomorrow (IST) holds them whatever the time of the run
const FROM = istParts(new Date(Date.now() - DAY_MS)).date;
const TO = istParts(new Date(Date.now() + DAY_MS)).date;

const EXECUTION_HEADER =
  'time_ist,strategy,symbol,mode,side,qty,filled_qty,avg_fill_price,status,charges,net_pnl,broker_order_id,algo_id,correlation_id,execution_id';

type Csv = { status: number; headers: Headers; text: string; rows: Array<Record<string, string>> };

describe('CSV export (GET /api/reports/export)', () => {
  let api: TestApi;
  let trader: Session;
  let other: Session;
  let admin: Session;
  let risky: Deployed;
  let plain: Deployed;
  let others: Deployed;

  const exportCsv = async (query: Record<string, string>, token?: string): Promise<Csv> => {
    const res = await fetch(`${api.url}/api/reports/export?${new URLSearchParams(query)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    const rows = res.headers.get('content-type')?.startsWith('text/csv')
      ? (parse(text, { columns: true }) as Array<Record<string, string>>)
      : [];
    return { status: res.status, headers: res.headers, text, rows };
  };

  const executions = async (filter: Record<string, unknown>, token: string) => {
    const res = await gql(
      api.url,
      `query($f: ExecutionFilter) { executions(filter: $f, first: 200) { edges { node { ${EXECUTION_FIELDS} createdAt } } } }`,
      { f: filter },
      token,
    );
    return res.data!.executions.edges.map((e: { node: Record<string, string> }) => e.node);
  };

  const send = async (s: Deployed, token: string, side: string, qty: number | undefined, price: number) => {
    const reply = await postAlert(api.url, { secret: s.secret, idempotency_key: uniqueKey(), side, qty, price });
    expect(reply.status).toBe(202);
    return waitForStatus(api.url, token, reply.body.alert_id, ['FILLED', 'REJECTED']);
  };

  beforeAll(async () => {
    // Paper fills at the alert's price (no slippage), whatever the time of day
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'export@example.com');
    other = await register(api.url, 'export-other@example.com');
    admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    // A name a spreadsheet would run as a formula, with a comma and quotes to be quoted
    risky = await createAndDeploy(api.url, trader.accessToken, {
      name: '=HYPERLINK("http://x.test","a, b")',
      symbol: 'RELIANCE',
      alertsPerMinute: 1000,
    });
    plain = await createAndDeploy(api.url, trader.accessToken, {
      name: '@Swing, "INFY"',
      symbol: 'INFY',
      alertsPerMinute: 1000,
    });
    others = await createAndDeploy(api.url, other.accessToken, {
      name: 'Not yours',
      symbol: 'TCS',
      alertsPerMinute: 1000,
    });
    // A loss, a win, a reversal and a position left open; charges are the paper broker's real Indian charges
    await send(risky, trader.accessToken, 'BUY', 10, 2500);
    await send(risky, trader.accessToken, 'EXIT', undefined, 2480);
    await send(plain, trader.accessToken, 'SELL', 5, 1500);
    await send(plain, trader.accessToken, 'BUY', 2, 1450);
    await send(plain, trader.accessToken, 'EXIT', undefined, 1460);
    await send(plain, trader.accessToken, 'BUY', 1, 1470);
    await send(others, other.accessToken, 'BUY', 3, 3500);
    await send(others, other.accessToken, 'EXIT', undefined, 3600);
  }, 90_000);
  afterAll(async () => {
    await api.close();
  });

  it("should stream the caller's executions as CSV that matches the API to the paisa", async () => {
    const csv = await exportCsv({ from: FROM, to: TO }, trader.accessToken);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename=algodatta-${FROM}-${TO}.csv`);
    expect(csv.text.split('\n')[0]).toBe(EXECUTION_HEADER);

    const api_ = await executions({ from: FROM, to: TO }, trader.accessToken);
    expect(api_).toHaveLength(6);
    expect(csv.rows.map((r) => r.execution_id)).toEqual(api_.map((e: { id: string }) => e.id).reverse()); // the API pages newest first
    for (const row of csv.rows) {
      const e = api_.find((x: { id: string }) => x.id === row.execution_id);
      expect(row).toMatchObject({
        symbol: e.symbol,
        mode: e.mode,
        side: e.side,
        qty: e.qty,
        filled_qty: e.filledQty,
        avg_fill_price: e.avgFillPrice ?? '',
        status: e.status,
        charges: e.charges,
        net_pnl: e.pnl ?? '',
        broker_order_id: e.brokerOrderId ?? '',
        correlation_id: e.correlationId,
      });
      // IST wall-clock time of createdAt, to the second
      expect(row.time_ist).toBe(
        new Date(new Date(e.createdAt).getTime() + 330 * 60_000).toISOString().slice(0, 19).replace('T', ' '),
      );
    }
    const total = (values: string[]) => values.reduce((s, v) => s + Math.round(Number(v || 0) * 10000), 0);
    expect(total(csv.rows.map((r) => r.net_pnl))).toBe(total(api_.map((e: { pnl: string }) => e.pnl)));
  });

  it('should neutralise cells a spreadsheet would run as formulas, and quote commas and quotes', async () => {
    const csv = await exportCsv({ from: FROM, to: TO, strategy_id: risky.id }, trader.accessToken);
    expect(csv.rows).toHaveLength(2);
    expect(csv.rows[0].strategy).toBe('\'=HYPERLINK("http://x.test","a, b")');
    expect(csv.text).toContain('"\'=HYPERLINK(""http://x.test"",""a, b"")"');
    expect((await exportCsv({ from: FROM, to: TO, strategy_id: plain.id }, trader.accessToken)).rows[0].strategy).toBe(
      '\'@Swing, "INFY"',
    );
    // Numbers are ours and stay numbers: the EXIT at a loss has a negative P&L, not a neutralised one
    expect(csv.rows[1].net_pnl).toMatch(/^-\d+(\.\d+)?$/);
  });

  it('should export closed round trips with kind=trades, agreeing with the report', async () => {
    const csv = await exportCsv({ from: FROM, to: TO, kind: 'trades' }, trader.accessToken);
    expect(csv.status).toBe(200);
    const res = await gql(
      api.url,
      'query($f: ReportFilter) { report(filter: $f) { totalTrades totalPnl charges } }',
      { f: { from: FROM, to: TO } },
      trader.accessToken,
    );
    const report = res.data!.report;
    // RELIANCE long closed by EXIT; INFY short reversed into a long, closed by EXIT; the last long is still open
    expect(report.totalTrades).toBe(3);
    expect(csv.rows).toHaveLength(3);
    expect(csv.rows.map((r) => [r.symbol, r.side])).toEqual([
      ['RELIANCE', 'LONG'],
      ['INFY', 'SHORT'],
      ['INFY', 'LONG'],
    ]);
    const sum = (key: string) => csv.rows.reduce((s, r) => s + Math.round(Number(r[key]) * 10000), 0) / 10000;
    expect(sum('net_pnl')).toBe(Number(report.totalPnl));
    expect(sum('charges')).toBe(Number(report.charges));
  });

  it("should never export another user's rows; an admin exports everyone's", async () => {
    const mine = await exportCsv({ from: FROM, to: TO }, other.accessToken);
    expect(mine.rows.map((r) => r.strategy)).toEqual(['Not yours', 'Not yours']);
    const foreign = await exportCsv({ from: FROM, to: TO, strategy_id: risky.id }, other.accessToken);
    expect(foreign.status).toBe(200);
    expect(foreign.text).toBe(`${EXECUTION_HEADER}\n`);
    const all = await exportCsv({ from: FROM, to: TO }, admin.accessToken);
    expect(all.rows).toHaveLength(8);
    expect((await exportCsv({ from: FROM, to: TO, mode: 'live' }, admin.accessToken)).rows).toHaveLength(0);
    expect(
      (await exportCsv({ from: FROM, to: TO, mode: 'paper', symbol: 'tcs' }, admin.accessToken)).rows,
    ).toHaveLength(2);
  });

  it('should answer 401 without a valid token and 400 with a message for a bad query', async () => {
    const none = await exportCsv({ from: FROM, to: TO });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toMatchObject({ error: 'unauthorized' });
    expect((await exportCsv({ from: FROM, to: TO }, 'not-a-token')).status).toBe(401);

    const cases: Array<[Record<string, string>, string]> = [
      [{ from: '2026-02-30', to: TO }, 'from must be a date as YYYY-MM-DD (IST)'],
      [{ from: FROM, to: '01-12-2026' }, 'to must be a date as YYYY-MM-DD (IST)'],
      [{ from: TO, to: FROM }, 'from must not be after to'],
      [{ from: FROM, to: TO, strategy_id: 'abc' }, 'strategyId must be a valid id'],
      [{ from: FROM, to: TO, mode: 'demo' }, 'mode must be paper or live'],
      [{ from: FROM, to: TO, kind: 'orders' }, 'kind must be executions or trades'],
      [{ from: FROM, to: TO, strategyId: risky.id }, 'unknown query parameter strategyId'],
    ];
    for (const [query, message] of cases) {
      const res = await exportCsv(query, trader.accessToken);
      expect([res.status, JSON.parse(res.text)]).toEqual([
        400,
        expect.objectContaining({ error: 'invalid_query', message }),
      ]);
    }
  });
});
