import type { PositionsQuery } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatIstCompact } from "../lib/ist-time";
import { formatInr, formatPrice, formatQty, sumDecimals } from "../lib/money-format";
import { ConfirmAction } from "./confirm-action";
import { ModeBadge } from "./status-badge";

type Position = PositionsQuery["positions"][number];
type PositionTableProps = {
  positions: Position[];
  strategyNames: Record<string, string>;
  /** Strategies the viewer owns: only those get a Close button (admins see everyone's, trade their own) */
  ownStrategies: Set<string>;
  closeRequestId: string;
  closing: string | null;
};

const key = (p: Pick<Position, "strategyId" | "symbol" | "mode">) => `${p.strategyId}|${p.symbol}|${p.mode}`;
const isOpen = (p: Position) => /[1-9]/.test(p.qty);

// qty is signed (negative = short); closed positions stay listed with qty 0 and their realized P&L. Unrealized
// P&L is at the latest known price (markPrice), the newest alert or fill price seen for the symbol.
export function PositionTable({
  positions,
  strategyNames,
  ownStrategies,
  closeRequestId,
  closing,
}: PositionTableProps) {
  if (positions.length === 0) {
    return (
      <div className="empty-state">
        <p>No positions yet.</p>
        <p className="muted">
          A position appears when an order fills: send a test alert from a strategy, or wait for TradingView&apos;s next
          alert.
        </p>
      </div>
    );
  }
  const modes = [...new Set(positions.map((p) => p.mode))].sort();
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="position-table">
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Symbol</th>
            <th scope="col">Mode</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Avg price
            </th>
            <th scope="col" className="num">
              Latest price
            </th>
            <th scope="col" className="num">
              Unrealized P&amp;L
            </th>
            <th scope="col" className="num">
              Realized P&amp;L
            </th>
            <th scope="col" className="num">
              Charges
            </th>
            <th scope="col">Updated (IST)</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <tr key={p.id} data-position={key(p)}>
              <td data-label="Strategy" className="card-title">
                {strategyNames[p.strategyId] ?? <span className="muted">deleted</span>}
              </td>
              <td data-label="Symbol" className="mono">
                {p.symbol}
              </td>
              <td data-label="Mode">
                <ModeBadge mode={p.mode} />
              </td>
              <td data-label="Qty" className="num mono card-key" data-testid="position-qty">
                {formatQty(p.qty)} <span className="muted small">{direction(p.qty)}</span>
              </td>
              <td data-label="Avg price" className="num mono" data-testid="position-avg">
                {isOpen(p) ? formatPrice(p.avgPrice) : "—"}
              </td>
              <td
                data-label="Latest price"
                className="num mono"
                data-testid="position-mark"
                title={p.markedAt ? `seen ${formatIstCompact(p.markedAt)} IST` : undefined}
              >
                {isOpen(p) ? formatPrice(p.markPrice) : "—"}
                {isOpen(p) && p.markedAt ? <span className="cell-note">{formatIstCompact(p.markedAt)}</span> : null}
              </td>
              <td
                data-label="Unrealized P&L"
                className={`num mono card-key ${pnlClass(p.unrealizedPnl)}`}
                data-testid="position-unrealized"
              >
                {formatInr(p.unrealizedPnl, { signed: true })}
              </td>
              <td
                data-label="Realized P&L"
                className={`num mono card-key ${pnlClass(p.realizedPnl)}`}
                data-testid="position-realized"
              >
                {formatInr(p.realizedPnl, { signed: true })}
              </td>
              <td data-label="Charges" className="num mono">
                {formatInr(p.charges)}
              </td>
              <td data-label="Updated (IST)">{formatIstCompact(p.updatedAt)}</td>
              <td data-label="" className="card-wide">
                {isOpen(p) && ownStrategies.has(p.strategyId) ? (
                  <ConfirmAction
                    label="Close"
                    confirmLabel={`Yes, close ${p.symbol}`}
                    intent="close"
                    tone="danger"
                    busy={closing === key(p)}
                    fields={{
                      strategyId: p.strategyId,
                      symbol: p.symbol,
                      mode: p.mode,
                      requestId: `${closeRequestId}:${key(p)}`,
                    }}
                  >
                    Sends an EXIT for the whole {direction(p.qty)} of {formatQty(p.qty.replace(/^-/, ""))} {p.symbol} as
                    a MARKET order
                    {p.mode === "LIVE" ? " at your broker (real money)" : " on paper"}. It goes through like any alert,
                    also while the strategy is disabled or trading is halted.
                  </ConfirmAction>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {modes.map((mode) => {
            const rows = positions.filter((p) => p.mode === mode);
            const unrealized = sumDecimals(rows.map((p) => p.unrealizedPnl));
            const realized = sumDecimals(rows.map((p) => p.realizedPnl));
            return (
              <tr key={mode} data-testid={`position-totals-${mode}`}>
                <td data-label="" className="card-title">
                  Total {mode === "LIVE" ? "live" : "paper"}
                </td>
                <td data-label="Open" colSpan={5}>
                  {rows.filter(isOpen).length} open
                </td>
                <td
                  data-label="Unrealized P&L"
                  className={`num mono card-key ${pnlClass(unrealized)}`}
                  data-testid="total-unrealized"
                >
                  {formatInr(unrealized, { signed: true })}
                </td>
                <td
                  data-label="Realized P&L"
                  className={`num mono card-key ${pnlClass(realized)}`}
                  data-testid="total-realized"
                >
                  {formatInr(realized, { signed: true })}
                </td>
                <td data-label="Charges" className="num mono">
                  {formatInr(sumDecimals(rows.map((p) => p.charges)))}
                </td>
                <td colSpan={2} />
              </tr>
            );
          })}
        </tfoot>
      </table>
    </div>
  );
}

export const positionKey = key;

function direction(qty: string): string {
  if (!/[1-9]/.test(qty)) return "flat";
  return qty.startsWith("-") ? "short" : "long";
}
