import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { badInput } from '../../shared/app-error';
import type { Role, TradingMode } from '../../shared/enums';
import { Semaphore } from '../../shared/semaphore';
import { exportStatement, ExportKind } from './report-export.sql';
import { ReportPrefixCache } from './report-prefix';
import { ReportInput, reportScope, ReportScope } from './report-scope';
import { CURVE_POINTS_PER_TRIP_MAX, SumsRow, sumsStatement, WalkRow, walkStatement } from './report.sql';
import type { Report } from './report.types';
import { encodeTripCursor, RoundTripRow, roundTripPageStatement } from './round-trips.sql';
import type { RoundTripConnection } from './round-trip.types';

type Caller = { id: string; role: Role };
type Row = Record<string, unknown>;

// Rows an export reads per round trip to PostgreSQL: large enough to keep the database busy, small enough that
// memory stays flat whatever the export's size (a million rows: 2,000 per batch grew the api's RSS by 130-156 MB,
// its batches living long enough to be promoted to the old heap; 1,000 by 6 MB)
const EXPORT_BATCH = 1000;

const MAX_TRIP_PAGE = 200;

const ratio = (value: string | null) => (value === null ? null : Number(value));

export function toReport(sums: SumsRow, walk: WalkRow): Report {
  const curve = (sums.trades > CURVE_POINTS_PER_TRIP_MAX ? sums.day_curve : walk.trip_curve) ?? [];
  return {
    totalTrades: sums.trades,
    wins: sums.wins,
    losses: sums.losses,
    winRate: ratio(sums.win_rate),
    totalPnl: sums.net,
    avgPnl: sums.avg_pnl,
    grossPnl: sums.gross,
    charges: sums.charges,
    expectancy: sums.avg_pnl,
    avgWin: sums.avg_win,
    avgLoss: sums.avg_loss,
    largestWin: sums.best,
    largestLoss: sums.worst,
    profitFactor: ratio(sums.profit_factor),
    maxDrawdown: walk.max_drawdown,
    longestLosingStreak: walk.longest_losing_streak,
    sharpe: ratio(sums.sharpe),
    daily: sums.daily ?? [],
    equityCurve: curve.map((p) => ({ at: new Date(p.at), equity: p.equity, drawdown: p.drawdown })),
    exposure: sums.exposure ?? [],
  };
}

// Reports and CSV exports over the round trips the fill path records and the executions. Reads only: it runs on
// the ORM's pool, never on the order path's.
export class ReportService {
  // Each running export holds one connection (a cursor in a read-only transaction) for as long as its client
  // reads; beyond this many, exports wait their turn instead of taking the pool from everything else
  private readonly exports: Semaphore;

  constructor(
    concurrentExports = 2,
    readonly prefixes = new ReportPrefixCache(),
  ) {
    this.exports = new Semaphore(concurrentExports);
  }

  scope(caller: Caller, input?: ReportInput): ReportScope {
    return reportScope(caller, input);
  }

  // The two figure families run side by side on two connections (each is one pass over the trips, or over those
  // after the scope's kept prefix, see report-prefix.ts). A trip closing between them shows as different trip
  // counts: then both run again in one snapshot.
  async report(em: EntityManager, caller: Caller, input?: ReportInput): Promise<Report> {
    const scope = this.scope(caller, input);
    let prefix = await this.prefixes.get(em, scope);
    // The scope's prefix is being built here (the keeper after a start, or after the last report): a full pass
    // beside it would take as long and double the load; its end and the trips after it come sooner
    const running = prefix ? undefined : this.prefixes.running(scope);
    if (running) prefix = await running.then(() => this.prefixes.get(em, scope));
    const sumsSql = sumsStatement(scope, prefix?.groups);
    const walkSql = walkStatement(scope, prefix ? { from: prefix.groups.before } : undefined, prefix?.walk);
    const run = (on: EntityManager) =>
      Promise.all([
        query<SumsRow>(on, sumsSql.text, sumsSql.params).then((rows) => rows[0]),
        query<WalkRow>(on, walkSql.text, walkSql.params).then((rows) => rows[0]),
      ]);
    let [sums, walk] = await run(em);
    if (sums.trades !== walk.trades) {
      [sums, walk] = await em
        .fork()
        .transactional((tx) => run(tx), { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
    }
    this.prefixes.warm(em, scope, sums.trades, prefix);
    return toReport(sums, walk);
  }

  // The scope's closed round trips, newest first, a page at a time (the dashboard's trades table)
  async roundTrips(
    em: EntityManager,
    caller: Caller,
    input: ReportInput | undefined,
    first: number,
    after?: string,
  ): Promise<RoundTripConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_TRIP_PAGE) {
      throw badInput(`first must be between 1 and ${MAX_TRIP_PAGE}`, [
        { path: 'first', message: `1..${MAX_TRIP_PAGE}` },
      ]);
    }
    const { text, params } = roundTripPageStatement(this.scope(caller, input), first, after);
    const rows = await query<RoundTripRow>(em, text, params);
    const page = rows.slice(0, first);
    const edges = page.map((r) => ({
      cursor: encodeTripCursor(r.micros, r.id),
      node: {
        id: r.id,
        strategyId: r.strategy_id,
        symbol: r.symbol,
        mode: r.mode as TradingMode,
        side: r.side,
        qty: r.qty,
        entryPrice: r.entry_price,
        exitPrice: r.exit_price,
        maxQty: r.max_qty,
        grossPnl: r.gross_pnl,
        charges: r.charges,
        netPnl: r.net_pnl,
        fills: r.fills,
        openedAt: new Date(r.opened_at),
        closedAt: new Date(r.closed_at),
      },
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    };
  }

  // Streams the rows in batches to `write`, which returns false when the reader went away. A cursor keeps the
  // database from building the whole result first, and the next batch is fetched while this one is written.
  async export(
    em: EntityManager,
    kind: ExportKind,
    scope: ReportScope,
    write: (rows: Row[]) => Promise<boolean>,
  ): Promise<void> {
    const { text, params } = exportStatement(kind, scope);
    await this.exports.use(() =>
      em.fork().transactional(
        async (tx) => {
          await query(tx, `declare report_export no scroll cursor for ${text}`, params);
          const fetch = () => query<Row>(tx, `fetch ${EXPORT_BATCH} from report_export`);
          let next: Promise<Row[]> | null = fetch();
          try {
            while (next) {
              const rows: Row[] = await next;
              next = rows.length === EXPORT_BATCH ? fetch() : null;
              if (rows.length === 0 || !(await write(rows))) break;
            }
          } finally {
            await next?.catch(() => undefined); // a fetch still running when the reader left
          }
        },
        { readOnly: true },
      ),
    );
  }
}
