import { ReportScope, scopeConditions } from './report-scope';

export type ExportKind = 'executions' | 'trades';

const ist = (column: string) => `to_char(${column} at time zone 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI:SS')`;
const dec = (column: string) => `trim_scale(${column})::text`;

// CSV columns in order; each SQL select names its values after them
export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  executions: [
    'time_ist',
    'strategy',
    'symbol',
    'mode',
    'side',
    'qty',
    'filled_qty',
    'avg_fill_price',
    'status',
    'charges',
    'net_pnl',
    'broker_order_id',
    'algo_id',
    'correlation_id',
    'execution_id',
  ],
  trades: [
    'opened_at_ist',
    'closed_at_ist',
    'strategy',
    'symbol',
    'mode',
    'side',
    'qty',
    'entry_price',
    'exit_price',
    'gross_pnl',
    'charges',
    'net_pnl',
    'fills',
    'max_qty',
    'round_trip_id',
  ],
};

// One row per execution created in the range (the executions query's filter), oldest first. A user's rows come
// in order from the (user_id, created_at) index, so the first row leaves at once whatever the size; an admin's
// export is ordered by user first for the same reason (no index orders every user's executions by time).
function executionsStatement(scope: ReportScope): { text: string; params: unknown[] } {
  const { where, params } = scopeConditions(scope, 'e', 'created_at');
  const order = scope.userId || scope.strategyId ? 'e.created_at, e.id' : 'e.user_id, e.created_at, e.id';
  return {
    text: `select ${ist('e.created_at')} as time_ist, s.name as strategy, e.symbol, e.mode, e.side, ${dec('e.qty')} as qty,
      ${dec('e.filled_qty')} as filled_qty, ${dec('e.avg_fill_price')} as avg_fill_price, e.status, ${dec('e.charges')} as charges,
      ${dec('e.pnl')} as net_pnl, e.broker_order_id, e.algo_id, e.correlation_id::text as correlation_id, e.id::text as execution_id
    from executions e join strategies s on s.id = e.strategy_id
    where ${where} order by ${order}`,
    params,
  };
}

// One row per round trip closed in the range (the report's trips), in closing order.
function tradesStatement(scope: ReportScope): { text: string; params: unknown[] } {
  const { where, params } = scopeConditions(scope, 'rt', 'closed_at');
  return {
    text: `select ${ist('rt.opened_at')} as opened_at_ist, ${ist('rt.closed_at')} as closed_at_ist, s.name as strategy, rt.symbol, rt.mode, rt.side,
      ${dec('rt.qty')} as qty, ${dec('rt.entry_price')} as entry_price, ${dec('rt.exit_price')} as exit_price, ${dec('rt.gross_pnl')} as gross_pnl,
      ${dec('rt.charges')} as charges, ${dec('rt.net_pnl')} as net_pnl, rt.fills, ${dec('rt.max_qty')} as max_qty, rt.id::text as round_trip_id
    from round_trips rt join strategies s on s.id = rt.strategy_id
    where ${where} order by rt.closed_at, rt.id`,
    params,
  };
}

export const exportStatement = (kind: ExportKind, scope: ReportScope) =>
  kind === 'trades' ? tradesStatement(scope) : executionsStatement(scope);
