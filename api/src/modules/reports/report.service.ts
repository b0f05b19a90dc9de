import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import type { Role } from '../../shared/enums';
import { Semaphore } from '../../shared/semaphore';
import { exportStatement, ExportKind } from './report-export.sql';
import { ReportInput, reportScope, ReportScope } from './report-scope';
import { ReportRow, reportStatement } from './report.sql';
import type { Report } from './report.types';

type Caller = { id: string; role: Role };
type Row = Record<string, unknown>;

// Rows an export reads per round trip to PostgreSQL: large enough to keep the database busy, small enough that
// memory stays flat whatever the export's size
const EXPORT_BATCH = 2000;

const ratio = (value: string | null) => (value === null ? null : Number(value));

export function toReport(row: ReportRow): Report {
  return {
    totalTrades: row.trades, wins: row.wins, losses: row.losses,
    winRate: ratio(row.win_rate), totalPnl: row.net, avgPnl: row.avg_pnl, grossPnl: row.gross, charges: row.charges,
    expectancy: row.avg_pnl, avgWin: row.avg_win, avgLoss: row.avg_loss, largestWin: row.best, largestLoss: row.worst,
    profitFactor: ratio(row.profit_factor), maxDrawdown: row.max_drawdown, longestLosingStreak: row.longest_losing_streak,
    sharpe: ratio(row.sharpe), daily: row.daily ?? [],
    equityCurve: (row.curve ?? []).map((p) => ({ at: new Date(p.at), equity: p.equity, drawdown: p.drawdown })),
    exposure: row.exposure ?? [],
  };
}

// Reports and CSV exports over the round trips the fill path records and the executions. Reads only: it runs on
// the ORM's pool, never on the order path's.
export class ReportService {
  // Each running export holds one connection (a cursor in a read-only transaction) for as long as its client
  // reads; beyond this many, exports wait their turn instead of taking the pool from everything else
  private readonly exports: Semaphore;

  constructor(concurrentExports = 2) {
    this.exports = new Semaphore(concurrentExports);
  }

  scope(caller: Caller, input?: ReportInput): ReportScope {
    return reportScope(caller, input);
  }

  async report(em: EntityManager, caller: Caller, input?: ReportInput): Promise<Report> {
    const { text, params } = reportStatement(this.scope(caller, input));
    const [row] = await query<ReportRow>(em, text, params);
    return toReport(row);
  }

  // Streams the rows in batches to `write`, which returns false when the reader went away; a cursor keeps the
  // database from building the whole result first.
  async export(em: EntityManager, kind: ExportKind, scope: ReportScope, write: (rows: Row[]) => Promise<boolean>): Promise<void> {
    const { text, params } = exportStatement(kind, scope);
    await this.exports.use(() => em.fork().transactional(async (tx) => {
      await query(tx, 'set transaction read only');
      await query(tx, `declare report_export no scroll cursor for ${text}`, params);
      for (;;) {
        const rows = await query<Row>(tx, `fetch ${EXPORT_BATCH} from report_export`);
        if (rows.length === 0 || !(await write(rows)) || rows.length < EXPORT_BATCH) break;
      }
    }));
  }
}
