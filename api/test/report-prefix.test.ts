import { ReportPrefixCache } from '../src/modules/reports/report-prefix';
import { ReportService } from '../src/modules/reports/report.service';
import { Role } from '../src/shared/enums';
import { register, Session } from './harness/graphql-client';
import { createAndDeploy } from './harness/pipeline';
import { startTestApi, TestApi } from './harness/test-api';

// A report keeps the figures of trips that closed over an hour ago and reads only the newer ones (report-prefix.ts):
// every figure must equal a report computed from all trips, in this process or another, across the split (a losing run and a drawdown that
// straddle it), after new trips close, and after a late trip or a deletion changes the kept part.
describe('report prefix: the figures of old trips kept, the new ones read', () => {
  let api: TestApi;
  let trader: Session;
  let strategyId: string;
  let positionId: string;
  const cached = new ReportService(2, new ReportPrefixCache({ minTrips: 1001 }));
  const reference = new ReportService(2, new ReportPrefixCache({ enabled: false }));
  // another api process (or this one after a restart): it reads the prefixes the first one kept
  const other = new ReportService(2, new ReportPrefixCache({ minTrips: 1001 }));

  const trips = (rows: Array<{ pnl: number; at: Date }>) =>
    api.db.sql.query(
      `insert into round_trips (id, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty,
        turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
      select gen_random_uuid(), ?, ?, ?, 'SBIN', 'PAPER', 'LONG', 1, 100, 100, 1, 200, (x->>'pnl')::numeric + 1, 1, (x->>'pnl')::numeric,
        (x->>'at')::timestamptz, (x->>'at')::timestamptz, 2, gen_random_uuid()
      from jsonb_array_elements(?::jsonb) x`,
      [
        positionId,
        strategyId,
        trader.user.id,
        JSON.stringify(rows.map((r) => ({ pnl: r.pnl, at: r.at.toISOString() }))),
      ],
    );
  const both = async () => {
    const caller = { id: trader.user.id, role: Role.USER };
    const [a, b] = [
      await cached.report(api.db.orm.em.fork(), caller),
      await reference.report(api.db.orm.em.fork(), caller),
    ];
    expect(a).toEqual(b);
    return a;
  };
  // The service's money is numeric text at the column's scale ('107.0000'); compared here as numbers
  const figures = (r: { totalTrades: number; totalPnl: string; maxDrawdown: string; longestLosingStreak: number }) => ({
    totalTrades: r.totalTrades,
    totalPnl: Number(r.totalPnl),
    maxDrawdown: Number(r.maxDrawdown),
    longestLosingStreak: r.longestLosingStreak,
  });
  const kept = () => cached.prefixes.get(api.db.orm.em.fork(), cached.scope({ id: trader.user.id, role: Role.USER }));

  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'report-prefix@example.com');
    strategyId = (await createAndDeploy(api.url, trader.accessToken, { name: 'Prefix', symbol: 'SBIN' })).id;
    [{ id: positionId }] = await api.db.sql.query<{ id: string }>(
      `insert into positions (id, strategy_id, symbol, mode) values (gen_random_uuid(), ?, 'SBIN', 'PAPER') returning id`,
      [strategyId],
    );
  });
  afterAll(async () => {
    await Promise.all([cached.prefixes.idle(), other.prefixes.idle()]); // builds a last report started
    await api?.close();
  });

  it('should give the same report from the kept prefix and the trips after it as from every trip', async () => {
    const now = Date.now();
    // Three days ago: 1,097 trips, every fourth -3 and the others +5 (equity 3,293 at its peak), then three of -5;
    // ten minutes ago (after the split): -1, -1 (a losing run of 5 across the split, 17 below the peak), +10, -1, +2
    const old = Array.from({ length: 1100 }, (_, i) => ({
      pnl: i >= 1097 ? -5 : (i + 1) % 4 === 0 ? -3 : 5,
      at: new Date(now - 3 * 86_400_000 + i * 60_000),
    }));
    const recent = [-1, -1, 10, -1, 2].map((pnl, i) => ({ pnl, at: new Date(now - 600_000 + i * 1000) }));
    await trips([...old, ...recent]);

    const first = await both();
    expect(figures(first)).toEqual({ totalTrades: 1105, totalPnl: 3287, maxDrawdown: 17, longestLosingStreak: 5 });
    await cached.prefixes.idle();
    const prefix = await kept();
    const walk = prefix!.walk;
    expect([
      walk.trades,
      Number(walk.equity),
      Number(walk.peak),
      Number(walk.maxDrawdown),
      walk.run,
      walk.longest,
    ]).toEqual([1100, 3278, 3293, 15, 3, 3]);
    expect(await both()).toEqual(first);
    const caller = { id: trader.user.id, role: Role.USER };
    expect(await other.prefixes.get(api.db.orm.em.fork(), other.scope(caller))).toEqual(prefix);
    expect(await other.report(api.db.orm.em.fork(), caller)).toEqual(first);

    // A trip closing now is read after the prefix, which stays
    await trips([{ pnl: -20, at: new Date() }]);
    expect(figures(await both())).toEqual({
      totalTrades: 1106,
      totalPnl: 3267,
      maxDrawdown: 26,
      longestLosingStreak: 5,
    });
    expect(await kept()).toEqual(prefix);
  });

  it('should drop the kept figures when a late trip or a deletion changes the trips before the split', async () => {
    await trips([{ pnl: 1000, at: new Date(Date.now() - 2 * 86_400_000) }]);
    expect(await kept()).toBeNull();
    expect(figures(await both())).toMatchObject({ totalTrades: 1107, totalPnl: 4267 });
    await cached.prefixes.idle();
    expect(await kept()).not.toBeNull();

    await api.db.sql.query(`delete from round_trips where net_pnl = 1000`);
    expect(await kept()).toBeNull();
    expect(figures(await both())).toMatchObject({ totalTrades: 1106, totalPnl: 3267 });
  });
});
