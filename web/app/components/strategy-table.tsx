import { Link } from "@remix-run/react";
import type { StrategyRowFragment } from "../graphql/generated/graphql";

type StrategyTableProps = { strategies: StrategyRowFragment[] };

export function StrategyTable({ strategies }: StrategyTableProps) {
  if (strategies.length === 0) {
    return <p className="empty">No strategies yet. Create your first one with the form.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="strategy-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Symbol</th>
            <th scope="col">Timeframe</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col">Mode</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {strategies.map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={`/strategies/${s.id}`}>{s.name}</Link>
              </td>
              <td className="mono">{s.symbol}</td>
              <td>{s.timeframe}</td>
              {/* Shown exactly as the API sent it: no float formatting of quantities. */}
              <td className="num mono">{String(s.qty)}</td>
              <td>
                <span className={s.mode === "LIVE" ? "badge badge-live" : "badge"}>{s.mode}</span>
              </td>
              <td>
                <span className={s.enabled ? "badge badge-ok" : "badge badge-muted"}>{s.enabled ? "Enabled" : "Disabled"}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
