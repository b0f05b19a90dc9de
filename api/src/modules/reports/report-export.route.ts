import { once } from 'node:events';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify';
import type { Authenticator } from '../auth/authenticator';
import { AppError } from '../../shared/app-error';
import { logger } from '../../shared/logger';
import { neutralizeCell } from './csv-cell';
import { EXPORT_COLUMNS, ExportKind } from './report-export.sql';
import type { ReportScope } from './report-scope';
import type { ReportService } from './report.service';

// Query parameters the export takes (the contract's names); anything else is refused rather than ignored, so a
// misspelt filter never exports more than was asked for
const PARAMS = ['from', 'to', 'strategy_id', 'account_id', 'symbol', 'mode', 'kind'] as const;
const KINDS: readonly ExportKind[] = ['executions', 'trades'];

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };
const ERROR: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 400: 'invalid_query' };

function refuse(res: Response, error: AppError): void {
  const status = STATUS[error.code] ?? 400;
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res
    .status(status)
    .json({ error: ERROR[status], message: error.message, ...(error.details && { details: error.details }) });
}

function queryParams(req: Request): Record<(typeof PARAMS)[number], string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!(PARAMS as readonly string[]).includes(name)) {
      throw new AppError('BAD_USER_INPUT', `unknown query parameter ${name}`, [
        { path: name, message: `allowed: ${PARAMS.join(', ')}` },
      ]);
    }
    if (typeof value !== 'string')
      throw new AppError('BAD_USER_INPUT', `${name} must be given once`, [{ path: name, message: 'one value' }]);
    out[name] = value;
  }
  return out;
}

const filename = (scope: ReportScope) => `algodatta-${scope.from ?? 'all'}-${scope.to ?? scope.today}.csv`;

// GET /api/reports/export: the caller's executions (or, with kind=trades, closed round trips) as CSV, streamed.
// Authenticated like GraphQL (Authorization: Bearer <access token or API key>; a READ key is enough), with the
// report's filters.
export function reportExportRoute(orm: MikroORM, reports: ReportService, authenticator: Authenticator): Router {
  const routes = Router();
  routes.get('/reports/export', async (req, res, next) => {
    const em = orm.em.fork();
    let kind: ExportKind;
    let scope: ReportScope;
    try {
      const auth = await authenticator.authenticate(em, req.headers.authorization);
      if (!auth.user)
        throw (
          auth.authError ??
          new AppError('UNAUTHENTICATED', 'Authorization: Bearer <access token or API key> is required')
        );
      const q = queryParams(req);
      kind = (q.kind ?? 'executions') as ExportKind;
      if (!KINDS.includes(kind))
        throw new AppError('BAD_USER_INPUT', 'kind must be executions or trades', [
          { path: 'kind', message: KINDS.join(' | ') },
        ]);
      scope = reports.scope(auth.user, {
        from: q.from,
        to: q.to,
        strategyId: q.strategy_id,
        accountId: q.account_id,
        symbol: q.symbol,
        mode: q.mode,
      });
    } catch (error) {
      if (error instanceof AppError) return void refuse(res, error);
      return void next(error);
    }

    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename=${filename(scope)}`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const columns = EXPORT_COLUMNS[kind];
    const csv = stringify({ columns, cast: { string: neutralizeCell } });
    csv.pipe(res);
    // The header row leaves before the first query, so a client sees the download start at once
    csv.write(Object.fromEntries(columns.map((c) => [c, c])));
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    let rows = 0;
    try {
      await reports.export(em, kind, scope, async (batch) => {
        for (const row of batch) {
          if (!csv.write(row)) await once(csv, 'drain', { signal: gone.signal });
        }
        rows += batch.length;
        return !gone.signal.aborted;
      });
      csv.end();
    } catch (error) {
      if (!gone.signal.aborted) logger.error('report export failed', { error, rows });
      csv.destroy();
      res.destroy();
    }
  });
  return routes;
}
