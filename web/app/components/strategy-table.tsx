import { Link } from "@remix-run/react";
import type { StrategiesPageQuery, StrategyRowFragment } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatIstCompact } from "../lib/ist-time";
import { formatInr, formatQty } from "../lib/money-format";
import { ModeBadge } from "./status-badge";
import { showTimeframe } from "../lib/timeframe";

type Activity = StrategiesPageQuery["strategyActivity"][number];
type StrategyTableProps = {
  strategies: StrategyRowFragment[];
  activity: Record<string, Activity>;
  /** Admins see everyone's strategies: the owner's email per user id */
  owners?: Record<string, string> | null;
};

export function StrategyTable({ strategies, activity, owners }: StrategyTableProps) {
  if (strategies.length === 0) {
    return (
      <div className="empty-state">
        <p>No strategies yet.</p>
        <p className="muted">
          <a href="#new-strategy">Create your first one</a> with the form below: a strategy turns TradingView alerts for
          one symbol into orders.
        </p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="strategy-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Symbol · timeframe</th>
            <th scope="col">Mode</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Today&apos;s P&amp;L
            </th>
            <th scope="col">Last signal (IST)</th>
            <th scope="col" className="num">
              Qty
            </th>
            {owners ? <th scope="col">Owner</th> : null}
          </tr>
        </thead>
        <tbody>
          {strategies.map((s) => {
            const a = activity[s.id];
            return (
              <tr key={s.id} data-strategy-id={s.id}>
                <td data-label="Name" className="card-title name-cell">
                  <Link to={`/strategies/${s.id}`}>{s.name}</Link>
                </td>
                <td data-label="Symbol · timeframe">
                  <span className="mono">{s.symbol}</span>{" "}
                  <span className="muted small">· {showTimeframe(s.timeframe)}</span>
                </td>
                <td data-label="Mode" className="card-key">
                  <ModeBadge mode={s.mode} />
                </td>
                <td data-label="Status" className="card-key">
                  <span className={s.enabled ? "badge badge-ok" : "badge badge-muted"}>
                    {s.enabled ? "Enabled" : "Disabled"}
                  </span>
                  {s.deployedAt ? null : <span className="cell-note">not deployed</span>}
                </td>
                <td
                  data-label="Today's P&L"
                  className={`num mono card-key ${pnlClass(a?.todayPnl)}`}
                  data-testid="strategy-today-pnl"
                >
                  {a ? formatInr(a.todayPnl, { signed: true }) : "—"}
                </td>
                <td data-label="Last signal (IST)" data-testid="strategy-last-signal">
                  {a?.lastSignalAt ? formatIstCompact(a.lastSignalAt) : <span className="muted">none yet</span>}
                </td>
                <td data-label="Qty" className="num mono">
                  {formatQty(s.qty)}
                </td>
                {owners ? (
                  <td data-label="Owner" className="owner-cell" data-testid="strategy-owner" title={owners[s.userId]}>
                    {owners[s.userId] ?? <span className="mono muted">{s.userId.slice(0, 8)}</span>}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
