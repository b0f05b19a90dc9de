import { startTestApi, TestApi } from './harness/test-api';
import { gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// What TradingView does with the alert message: every {{placeholder}} becomes text (numbers too), and the body
// goes out as text/plain. An unknown placeholder fails the test, so a new one in the template gets a value here.
function substitute(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([^}]+)\}\}/g, (_all, name: string) => {
    if (!(name in values)) throw new Error(`no TradingView value for {{${name}}}`);
    return values[name];
  });
}

// What Pine does with the snippet's alert() call: runs algodattaAlert(side, qty) for the given call line,
// concatenating the message from its string literals and the built-ins below (str.tostring of a whole float
// prints no decimals, as Pine does).
function runPine(
  snippet: string,
  call: RegExp,
  bar: { ticker: string; time: number; close: number; period: string },
): string {
  const lines = snippet.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('msg ='));
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('alert(msg'));
  const expression = lines
    .slice(start, end)
    .join(' ')
    .replace(/^\s*msg =/, '');
  const callLine = lines.find((l) => call.test(l));
  if (!callLine) throw new Error(`no call matching ${call} in the snippet`);
  const [, side, qty] = /algodattaAlert\("([A-Z]+)", ([\d.]+)\)/.exec(callLine)!;
  const values: Record<string, string> = {
    'syminfo.ticker': bar.ticker,
    'str.tostring(time)': String(bar.time),
    side,
    'str.tostring(qty)': String(Number(qty)),
    'str.tostring(close)': String(bar.close),
    'timeframe.period': bar.period,
  };
  const parts = expression.match(/'[^']*'|[^+\s]+/g)!;
  return parts
    .map((p) => {
      if (p.startsWith("'")) return p.slice(1, -1);
      if (!(p in values)) throw new Error(`the snippet uses ${p}, which this Pine stand-in does not know`);
      return values[p];
    })
    .join('');
}

describe('the generated TradingView alert message and Pine snippet, round trip', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' });
    trader = await register(api.url, 'round-trip@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  let fired = 0;
  const tradingView = (overrides: Record<string, string>) => ({
    'strategy.order.id': 'Long',
    ticker: 'RELIANCE',
    'strategy.order.action': 'buy',
    'strategy.order.contracts': '1',
    close: '2500.5',
    interval: '5', // {{timenow}} is now (an older time is a stale signal); one second apart, so each alert's idempotency key differs
    timenow: new Date(Math.floor(Date.now() / 1000) * 1000 + (fired += 1) * 1000).toISOString().replace('.000Z', 'Z'),
    'strategy.market_position': 'long',
    'strategy.prev_market_position': 'flat',
    'strategy.position_size': '1',
    'strategy.market_position_size': '1',
    'strategy.prev_market_position_size': '0',
    ...overrides,
  });
  const deliver = async (body: string) => {
    const reply = await postAlert(api.url, body, 'text/plain; charset=utf-8');
    expect(reply).toMatchObject({ status: 202, body: { status: 'accepted' } });
    return waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED', 'REJECTED']);
  };
  const position = async (s: Deployed) => {
    const res = await gql(api.url, '{ positions { strategyId qty } }', undefined, trader.accessToken);
    return res.data!.positions.find((p: { strategyId: string }) => p.strategyId === s.id)?.qty ?? '0';
  };

  it('should open and close through the alert message, as TradingView fills it', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'RELIANCE', qty: 1 });
    const entry = await deliver(substitute(s.alertMessage, tradingView({})));
    expect(entry).toMatchObject({ side: 'BUY', qty: '1', status: 'FILLED', symbol: 'RELIANCE' });
    // TradingView closes: sell 1, flat. Under the default REVERSE policy this used to sell 2 and leave a short
    const exit = await deliver(
      substitute(
        s.alertMessage,
        tradingView({
          'strategy.order.id': 'Close',
          ticker: 'NSE:RELIANCE',
          'strategy.order.action': 'sell',
          'strategy.market_position': 'flat',
          'strategy.prev_market_position': 'long',
          'strategy.position_size': '0',
          'strategy.market_position_size': '0',
          'strategy.prev_market_position_size': '1',
        }),
      ),
    );
    expect(exit).toMatchObject({ side: 'SELL', qty: '1', status: 'FILLED' });
    expect(await position(s)).toBe('0');
    // TradingView's position before each alert was ours: nothing flagged
    const checks = await api.db.sql.query<{ position_check: { mismatch?: boolean } }>(
      'select position_check from executions where strategy_id = ? order by created_at',
      [s.id],
    );
    expect(checks.map((c) => c.position_check)).toEqual(
      [
        { prevMarketPosition: 'flat', prevPositionQty: '0' },
        { prevMarketPosition: 'long', prevPositionQty: '1' },
      ].map((c) => expect.objectContaining(c)),
    );
    expect(checks.some((c) => c.position_check.mismatch)).toBe(false);
  });

  it('should enter and exit through the Pine snippet: EXIT with qty 0 closes the whole position', async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'INFY', qty: 3 });
    const bar = { ticker: 'INFY', time: Date.UTC(2026, 11, 1, 4, 0), close: 1500.25, period: '5' };
    const entry = await deliver(runPine(s.pineSnippet, /algodattaAlert\("BUY"/, bar));
    expect(entry).toMatchObject({ side: 'BUY', qty: '3', status: 'FILLED', symbol: 'INFY' });
    const exit = await deliver(
      runPine(s.pineSnippet, /algodattaAlert\("EXIT"/, { ...bar, time: bar.time + 300_000, close: 1510 }),
    );
    expect(exit).toMatchObject({ side: 'EXIT', qty: '3', status: 'FILLED' });
    expect(await position(s)).toBe('0');
  });

  it("should reduce by an EXIT's quantity, and close all without one", async () => {
    const s = await createAndDeploy(api.url, trader.accessToken, { symbol: 'TCS', qty: 1 });
    const send = (fields: Record<string, unknown>) =>
      deliver(JSON.stringify({ secret: s.secret, idempotency_key: uniqueKey(), price: '4000', ...fields }));
    await send({ side: 'BUY', qty: '5' });
    expect(await send({ side: 'EXIT', qty: '2' })).toMatchObject({ side: 'EXIT', qty: '2', status: 'FILLED' });
    expect(await position(s)).toBe('3');
    // More than is open: only what is open goes
    expect(await send({ side: 'exit', qty: '10' })).toMatchObject({ side: 'EXIT', qty: '3', status: 'FILLED' });
    expect(await position(s)).toBe('0');
    await send({ side: 'SELL', qty: '4' });
    expect(await send({ side: 'EXIT' })).toMatchObject({ side: 'EXIT', qty: '4', status: 'FILLED' });
    expect(await position(s)).toBe('0');
  });
});
