import type { ReactNode } from "react";
import type { RoundTripRowFragment } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatIst } from "../lib/ist-time";
import { formatInr, formatPrice, formatQty } from "../lib/money-format";
import { ModeBadge } from "./status-badge";

type RoundTripTableProps = { rows: RoundTripRowFragment[]; strategyNames: Record<string, string>; empty: ReactNode };

// The closed round trips, newest first; on a phone each is a card with side, qty and net P&L first.
export function RoundTripTable({ rows, strategyNames, empty }: RoundTripTableProps) {
  if (rows.length === 0) return <div className="empty-state">{empty}</div>;
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="trip-table">
        <thead>
          <tr>
            <th scope="col">Closed (IST)</th>
            <th scope="col">Strategy</th>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Entry
            </th>
            <th scope="col" className="num">
              Exit
            </th>
            <th scope="col" className="num">
              Gross
            </th>
            <th scope="col" className="num">
              Charges
            </th>
            <th scope="col" className="num">
              Net P&amp;L
            </th>
            <th scope="col">Mode</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id} data-trip-id={t.id}>
              <td
                data-label="Closed (IST)"
                className="card-title"
                title={`Opened ${formatIst(t.openedAt)}; ${t.fills} fills`}
              >
                {formatIst(t.closedAt)}
              </td>
              <td data-label="Strategy">{strategyNames[t.strategyId] ?? <span className="muted">deleted</span>}</td>
              <td data-label="Symbol" className="mono">
                {t.symbol}
              </td>
              <td data-label="Side" className="card-key">
                <span className={t.side === "LONG" ? "side side-buy" : "side side-sell"}>{t.side}</span>
              </td>
              <td data-label="Qty" className="num mono card-key">
                {formatQty(t.qty)}
              </td>
              <td data-label="Entry" className="num mono">
                {formatPrice(t.entryPrice)}
              </td>
              <td data-label="Exit" className="num mono">
                {formatPrice(t.exitPrice)}
              </td>
              <td data-label="Gross" className={`num mono ${pnlClass(t.grossPnl)}`}>
                {formatInr(t.grossPnl, { signed: true })}
              </td>
              <td data-label="Charges" className="num mono">
                {formatInr(t.charges)}
              </td>
              <td data-label="Net P&L" className={`num mono card-key ${pnlClass(t.netPnl)}`} data-testid="trip-net">
                {formatInr(t.netPnl, { signed: true })}
              </td>
              <td data-label="Mode">
                <ModeBadge mode={t.mode} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
