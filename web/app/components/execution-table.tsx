import { Link } from "@remix-run/react";
import type { Row } from "../lib/execution-rows";
import { pnlClass, showDecimal } from "../lib/decimal-display";
import { formatIst } from "../lib/ist-time";
import { SideBadge, StatusBadge } from "./status-badge";

type ExecutionTableProps = { rows: Row[]; strategyNames: Record<string, string> };

// Prices, charges and P&L are printed exactly as the API sent them (decimal strings).
export function ExecutionTable({ rows, strategyNames }: ExecutionTableProps) {
  if (rows.length === 0) return <p className="empty">No executions match. New ones appear here as alerts arrive.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="execution-table">
        <thead>
          <tr>
            <th scope="col">Time (IST)</th>
            <th scope="col">Strategy</th>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Avg fill price</th>
            <th scope="col" className="num">Charges</th>
            <th scope="col" className="num">P&amp;L</th>
            <th scope="col">Mode</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-execution-id={r.id}>
              <td>
                <Link to={`/executions/${r.id}`}>{formatIst(r.createdAt)}</Link>
              </td>
              <td>{strategyNames[r.strategyId] ?? <span className="muted">deleted</span>}</td>
              <td className="mono">{r.symbol}</td>
              <td>
                <SideBadge side={r.side} />
              </td>
              <td className="num mono" title={`filled ${r.filledQty} of ${r.qty}`}>
                {r.filledQty === r.qty || !/[1-9]/.test(r.filledQty) ? r.qty : `${r.filledQty} / ${r.qty}`}
              </td>
              <td data-testid="execution-status">
                <StatusBadge status={r.status} />
              </td>
              <td className="num mono" data-testid="execution-fill-price">{showDecimal(r.avgFillPrice)}</td>
              <td className="num mono">{showDecimal(r.charges)}</td>
              <td className={`num mono ${pnlClass(r.pnl)}`}>{showDecimal(r.pnl)}</td>
              <td>
                <span className={r.mode === "LIVE" ? "badge badge-live" : "badge"}>{r.mode}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
