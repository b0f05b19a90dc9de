import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Row } from "../lib/execution-rows";
import { pnlClass } from "../lib/decimal-display";
import { formatIst } from "../lib/ist-time";
import { formatInr, formatPrice, formatQty } from "../lib/money-format";
import { rejectReasonText } from "../lib/reject-reasons";
import { ModeBadge, SideBadge, StatusBadge } from "./status-badge";

type ExecutionTableProps = { rows: Row[]; strategyNames: Record<string, string>; empty?: ReactNode; compact?: boolean };

const SOURCE_LABELS: Record<string, string> = { test_alert: "test", close: "close", square_off: "square-off" };

// Prices, charges and P&L are formatted from the API's exact decimal strings, never through a float. On a phone
// each row is a card with side, qty, status and P&L first.
export function ExecutionTable({ rows, strategyNames, empty, compact }: ExecutionTableProps) {
  if (rows.length === 0)
    return (
      <div className="empty-state">{empty ?? <p>No executions match. New ones appear here as alerts arrive.</p>}</div>
    );
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="execution-table">
        <thead>
          <tr>
            <th scope="col">Time (IST)</th>
            <th scope="col">Strategy</th>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Avg fill price
            </th>
            {compact ? null : (
              <th scope="col" className="num">
                Charges
              </th>
            )}
            <th scope="col" className="num">
              P&amp;L
            </th>
            {compact ? null : <th scope="col">Mode</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const reason =
              r.status === "REJECTED" || r.status === "FAILED" || r.status === "CANCELLED"
                ? rejectReasonText(r.rejectReason)
                : null;
            return (
              <tr key={r.id} data-execution-id={r.id}>
                <td data-label="Time (IST)" className="card-title">
                  <Link to={`/executions/${r.id}`}>{formatIst(r.createdAt)}</Link>
                </td>
                <td data-label="Strategy">
                  {strategyNames[r.strategyId] ?? <span className="muted">deleted</span>}
                  {SOURCE_LABELS[r.source] ? <span className="cell-note">{SOURCE_LABELS[r.source]}</span> : null}
                </td>
                <td data-label="Symbol" className="mono">
                  {r.symbol}
                </td>
                <td data-label="Side" className="card-key">
                  <SideBadge side={r.side} />
                </td>
                <td
                  data-label="Qty"
                  className="num mono card-key"
                  title={`filled ${r.filledQty} of ${r.qty}`}
                  data-testid="execution-qty"
                >
                  {r.filledQty === r.qty || !/[1-9]/.test(r.filledQty)
                    ? formatQty(r.qty)
                    : `${formatQty(r.filledQty)} / ${formatQty(r.qty)}`}
                </td>
                <td data-label="Status" className="card-key" data-testid="execution-status">
                  <StatusBadge status={r.status} />
                  {reason ? (
                    <span className="cell-note error" data-testid="execution-reason" title={r.lastError ?? undefined}>
                      {reason}
                    </span>
                  ) : null}
                </td>
                <td data-label="Avg fill price" className="num mono" data-testid="execution-fill-price">
                  {formatPrice(r.avgFillPrice)}
                </td>
                {compact ? null : (
                  <td data-label="Charges" className="num mono">
                    {formatInr(r.charges)}
                  </td>
                )}
                <td data-label="P&L" className={`num mono card-key ${pnlClass(r.pnl)}`} data-testid="execution-pnl">
                  {formatInr(r.pnl, { signed: true })}
                </td>
                {compact ? null : (
                  <td data-label="Mode">
                    <ModeBadge mode={r.mode} />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
