import { Link } from "@remix-run/react";
import type { ReportFiguresQuery } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatInr, formatQty } from "../lib/money-format";
import { DailyPnlChart, EquityChart } from "./report-charts";
import { ReportKpis } from "./report-kpis";

type Report = ReportFiguresQuery["report"];

// Everything computed over the filter's trips: the KPI cards, the two charts and the P&L by symbol
export function ReportFigures({ report, filtered }: { report: Report; filtered: boolean }) {
  return (
    <>
      <ReportKpis report={report} />
      {report.totalTrades === 0 ? (
        <section className="card empty-state" data-testid="report-empty">
          <p>
            <strong>No closed round trips {filtered ? "match these filters" : "yet"}.</strong> A round trip counts once
            its position is flat again (or reversed): an entry and its exit.
          </p>
          <p className="muted">
            {filtered ? (
              <Link to="/reports">Clear the filters</Link>
            ) : (
              <Link to="/strategies">Send a test alert from a strategy</Link>
            )}
            , or see what is still open on <Link to="/positions">Positions</Link>.
          </p>
        </section>
      ) : (
        <div className="detail-grid detail-grid-even">
          <section className="card stack-tight" aria-labelledby="equity-title">
            <h2 id="equity-title">Equity and drawdown</h2>
            <EquityChart
              points={report.equityCurve}
              label={`Cumulative net P&L after each closed round trip, ending at ${formatInr(report.totalPnl, { signed: true })}; the drawdown underneath, at most ${formatInr(report.maxDrawdown)}`}
            />
            <p className="muted small" data-testid="equity-caption">
              Net P&amp;L after each closed trip (IST), ending at{" "}
              <span className={`mono ${pnlClass(report.totalPnl)}`}>
                {formatInr(report.totalPnl, { signed: true })}
              </span>
              ; underneath, how far it is below its highest point so far.
            </p>
          </section>
          <section className="card stack-tight" aria-labelledby="daily-title">
            <h2 id="daily-title">Daily P&amp;L</h2>
            <DailyPnlChart days={report.daily} label={`Net P&L per IST trading day over ${report.daily.length} days`} />
            <p className="muted small">
              Net of charges, per IST trading day (days without a closed trip count as zero).
            </p>
          </section>
        </div>
      )}
      {report.exposure.length > 0 ? <ExposureTable exposure={report.exposure} /> : null}
    </>
  );
}

// Shown while the figures are computed (streamed into the page when ready)
export function ReportFiguresLoading() {
  return (
    <section className="card stack-tight" aria-busy="true" data-testid="report-loading">
      <h2>Working out the figures…</h2>
      <p className="muted small">Over many round trips this takes a moment; the trips below are ready already.</p>
    </section>
  );
}

function ExposureTable({ exposure }: { exposure: Report["exposure"] }) {
  return (
    <section className="card stack" aria-labelledby="exposure-title">
      <h2 id="exposure-title">By symbol</h2>
      <div className="table-wrap">
        <table className="table table-cards" data-testid="exposure-table">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col" className="num">
                Round trips
              </th>
              <th scope="col" className="num">
                Net P&amp;L
              </th>
              <th scope="col" className="num">
                Turnover
              </th>
              <th scope="col" className="num">
                Largest position
              </th>
            </tr>
          </thead>
          <tbody>
            {exposure.map((e) => (
              <tr key={e.symbol}>
                <td data-label="Symbol" className="card-title mono">
                  {e.symbol}
                </td>
                <td data-label="Round trips" className="num mono">
                  {e.trades}
                </td>
                <td data-label="Net P&L" className={`num mono card-key ${pnlClass(e.netPnl)}`}>
                  {formatInr(e.netPnl, { signed: true })}
                </td>
                <td data-label="Turnover" className="num mono">
                  {formatInr(e.turnover)}
                </td>
                <td data-label="Largest position" className="num mono">
                  {formatQty(e.maxQty)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
