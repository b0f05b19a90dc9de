import type { PositionsQuery } from "../graphql/generated/graphql";
import { pnlClass, showDecimal } from "../lib/decimal-display";
import { formatIstCompact } from "../lib/ist-time";

type Position = PositionsQuery["positions"][number];
type PositionTableProps = { positions: Position[]; strategyNames: Record<string, string> };

// qty is signed (negative = short); closed positions stay listed with qty 0 and their realized P&L.
export function PositionTable({ positions, strategyNames }: PositionTableProps) {
  if (positions.length === 0) return <p className="empty">No positions yet. They appear once an order fills.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="position-table">
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Symbol</th>
            <th scope="col">Mode</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col" className="num">Avg price</th>
            <th scope="col" className="num">Last price</th>
            <th scope="col" className="num">Realized P&amp;L</th>
            <th scope="col" className="num">Unrealized P&amp;L</th>
            <th scope="col" className="num">Charges</th>
            <th scope="col">Updated (IST)</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <tr key={p.id}>
              <td>{strategyNames[p.strategyId] ?? <span className="muted">deleted</span>}</td>
              <td className="mono">{p.symbol}</td>
              <td>
                <span className={p.mode === "LIVE" ? "badge badge-live" : "badge"}>{p.mode}</span>
              </td>
              <td className="num mono">
                {p.qty} <span className="muted small">{direction(p.qty)}</span>
              </td>
              <td className="num mono">{p.avgPrice}</td>
              <td className="num mono">{showDecimal(p.lastPrice)}</td>
              <td className={`num mono ${pnlClass(p.realizedPnl)}`}>{p.realizedPnl}</td>
              <td className={`num mono ${pnlClass(p.unrealizedPnl)}`}>{p.unrealizedPnl}</td>
              <td className="num mono">{p.charges}</td>
              <td>{formatIstCompact(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function direction(qty: string): string {
  if (!/[1-9]/.test(qty)) return "flat";
  return qty.startsWith("-") ? "short" : "long";
}
