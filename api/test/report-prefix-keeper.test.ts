import { ReportPrefixCache } from '../src/modules/reports/report-prefix';
import { ReportPrefixKeeper } from '../src/modules/reports/report-prefix-keeper';
import { ReportService } from '../src/modules/reports/report.service';
import { Role } from '../src/shared/enums';
import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { register, Session } from './harness/graphql-client';
import { createAndDeploy, Deployed, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

// The keeper builds report prefixes before anyone asks (report-prefix-keeper.ts), so the first report of a large
// scope after a start reads only recent trips. Its figures must still count every trip: those closed after the
// build (orders through the real pipeline) and a late one written before the split.
describe('report prefix keeper: report figures built ahead of the first report', () => {
  let api: TestApi;
  let trader: Session;
  let adminId: string;
  let oldStrategyId: string;
  let live: Deployed;
  let positionId: string;
  const options = { minTrips: 1001 };
  // the keeper's process, and a report service as a process started after it (or this one after a restart)
  const keeperCache = new ReportPrefixCache(options);
  const afterStart = new ReportService(2, new ReportPrefixCache(options));
  const reference = new ReportService(2, new ReportPrefixCache({ enabled: false }));
  let keeper: ReportPrefixKeeper;

  const trips = (rows: Array<{ pnl: number; at: Date }>) =>
    api.db.sql.query(
      `insert into round_trips (id, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty,
        turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
      select gen_random_uuid(), ?, ?, ?, 'SBIN', 'PAPER', 'LONG', 1, 100, 100, 1, 200, (x->>'pnl')::numeric + 1, 1, (x->>'pnl')::numeric,
        (x->>'at')::timestamptz, (x->>'at')::timestamptz, 2, gen_random_uuid()
      from jsonb_array_elements(?::jsonb) x`,
      [
        positionId,
        oldStrategyId,
        trader.user.id,
        JSON.stringify(rows.map((r) => ({ pnl: r.pnl, at: r.at.toISOString() }))),
      ],
    );
  const traderCaller = () => ({ id: trader.user.id, role: Role.USER });
  const adminCaller = () => ({ id: adminId, role: Role.ADMIN });
  const keptFor = (service: ReportService, caller: { id: string; role: Role }, strategyId?: string) =>
    service.prefixes.get(api.db.orm.em.fork(), service.scope(caller, { strategyId }));
  // The first report of the started process, compared with one over every trip
  const reportBoth = async (caller: { id: string; role: Role }, strategyId?: string) => {
    const a = await afterStart.report(api.db.orm.em.fork(), caller, { strategyId });
    const b = await reference.report(api.db.orm.em.fork(), caller, { strategyId });
    expect(a).toEqual(b);
    return a;
  };
  const trade = async (side: 'BUY' | 'SELL') => {
    const reply = await postAlert(api.url, {
      secret: live.secret,
      idempotency_key: uniqueKey(),
      side,
      qty: 1,
      price: 1500,
    });
    expect(reply.status).toBe(202);
    await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED'], 15_000);
  };

  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'prefix-keeper@example.com');
    [{ id: adminId }] = await api.db.sql.query<{ id: string }>(`select id from users where email = ?`, [ADMIN.email]);
    oldStrategyId = (await createAndDeploy(api.url, trader.accessToken, { name: 'Old', symbol: 'SBIN' })).id;
    live = await createAndDeploy(api.url, trader.accessToken, { name: 'Now', symbol: 'INFY' });
    [{ id: positionId }] = await api.db.sql.query<{ id: string }>(
      `insert into positions (id, strategy_id, symbol, mode) values (gen_random_uuid(), ?, 'SBIN', 'PAPER') returning id`,
      [oldStrategyId],
    );
    keeper = new ReportPrefixKeeper(api.db.orm.em, keeperCache, { firstAfterMs: 60_000 });
  });
  afterAll(async () => {
    await keeper?.stop();
    await Promise.all([keeperCache.idle(), afterStart.prefixes.idle()]);
    await api?.close();
  });

  it('should build the unfiltered scopes of large reports before any report, and keep nothing for small ones', async () => {
    await trips([{ pnl: 5, at: new Date(Date.now() - 5 * 86_400_000) }]);
    expect(await keeper.round()).toEqual([]); // 1 trip: below minTrips, nothing worth keeping

    // Three days ago: 1,100 trips, every fourth -3 and the others +5
    const now = Date.now();
    await trips(
      Array.from({ length: 1100 }, (_, i) => ({
        pnl: (i + 1) % 4 === 0 ? -3 : 5,
        at: new Date(now - 3 * 86_400_000 + i * 60_000),
      })),
    );
    expect(await keptFor(afterStart, traderCaller())).toBeNull();
    const built = await keeper.round();
    // everyone's (the admin's page), the trader's, the trader's strategy's
    expect(built).toHaveLength(3);
    expect(await keptFor(afterStart, traderCaller())).not.toBeNull();
    expect(await keptFor(afterStart, adminCaller())).not.toBeNull();
    expect(await keptFor(afterStart, traderCaller(), oldStrategyId)).not.toBeNull();
    // a second round finds every kept scope fresh
    expect(await keeper.round()).toEqual([]);

    const first = await reportBoth(traderCaller());
    expect(first.totalTrades).toBe(1101);
    expect(Number(first.totalPnl)).toBe(5 + 825 * 5 - 275 * 3);
    await reportBoth(adminCaller());
    await reportBoth(traderCaller(), oldStrategyId);
  });

  it('should count the trips that close after the build: orders through the pipeline, and a late trip', async () => {
    const kept = await keptFor(afterStart, traderCaller());
    // A round trip closes now, through the webhook, the paper broker and the fill path
    await trade('BUY');
    await trade('SELL');
    const after = await reportBoth(traderCaller());
    expect(after.totalTrades).toBe(1102);
    expect(await keptFor(afterStart, traderCaller())).toEqual(kept); // still the kept prefix, not a full pass
    expect((await reportBoth(adminCaller())).totalTrades).toBe(1102);

    // A late trip before the split: no kept figure is trusted any more, reports read everything...
    await trips([{ pnl: 1000, at: new Date(Date.now() - 2 * 86_400_000) }]);
    expect(await keptFor(afterStart, traderCaller())).toBeNull();
    const late = await reportBoth(traderCaller());
    expect(late.totalTrades).toBe(1103);
    expect(Number(late.totalPnl)).toBe(Number(after.totalPnl) + 1000);
    // ...until they are rebuilt: the trader's after that large report, the others by the keeper's next round
    await afterStart.prefixes.idle();
    expect(await keeper.round()).toHaveLength(2);
    expect(await keptFor(afterStart, traderCaller())).not.toBeNull();
    expect(await reportBoth(traderCaller())).toEqual(late);
    expect((await reportBoth(adminCaller())).totalTrades).toBe(1103);
  });

  it('should let a report wait for the build of its scope running in its process instead of a second full pass', async () => {
    await trips([{ pnl: -7, at: new Date(Date.now() - 86_400_000) }]); // invalidates every kept scope
    const service = new ReportService(2, keeperCache);
    const build = keeperCache.renew(api.db.orm.em, service.scope(traderCaller()));
    expect(keeperCache.running(service.scope(traderCaller()))).toBe(build);
    const report = await service.report(api.db.orm.em.fork(), traderCaller());
    expect(report).toEqual(await reference.report(api.db.orm.em.fork(), traderCaller()));
    expect(report.totalTrades).toBe(1104);
    expect(keeperCache.running(service.scope(traderCaller()))).toBeUndefined();
  });

  it('should start with the api when REPORT_PREFIX_KEEP_MINUTES is set, without holding up its start or its stop', async () => {
    const keeping = await startTestApi({ REPORT_PREFIX_KEEP_MINUTES: '1' });
    try {
      expect((await fetch(`${keeping.url}/readyz`)).status).toBe(200);
    } finally {
      // its first round is 10 s away: stopping cancels it
      await keeping.close();
    }
  });

  it('should do one round at a time across api processes', async () => {
    await trips([{ pnl: 1, at: new Date(Date.now() - 86_400_000) }]);
    const other = new ReportPrefixKeeper(api.db.orm.em, new ReportPrefixCache(options), { firstAfterMs: 60_000 });
    const [a, b] = await Promise.all([keeper.round(), other.round()]);
    // one of them held the round and renewed every scope; the other found it taken and did nothing
    expect(Math.min(a.length, b.length)).toBe(0);
    expect(Math.max(a.length, b.length)).toBeGreaterThanOrEqual(3);
  });
});
