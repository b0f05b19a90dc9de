import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { DailyPnlChart, EquityChart } from "../components/report-charts";
import { ReportFilters } from "../components/report-filters";
import { ReportKpis } from "../components/report-kpis";
import { RoundTripTable } from "../components/round-trip-table";
import { ReportPageDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { pnlClass } from "../lib/decimal-display";
import { formatInr, formatQty } from "../lib/money-format";
import { exportHref, readReportFilter, TRIP_PAGE_SIZE } from "../lib/report-filter";
import { useRoundTripPages } from "../lib/use-round-trip-pages";

export const meta: MetaFunction = () => [{ title: "Reports · AlgoDatta" }];

// Is the strategy making money: the report over closed round trips for the URL's filters, its charts and trips.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const url = new URL(request.url);
  const { values, filter } = readReportFilter(url.searchParams);
  const result = await api.execute("query", ReportPageDocument, { filter, first: TRIP_PAGE_SIZE });
  return data(
    {
      filter: values,
      search: url.search,
      report: result.data?.report ?? null,
      trips: result.data?.roundTrips ?? null,
      strategies: result.data?.strategies.map((s) => ({ id: s.id, name: s.name })) ?? [],
      failure: result.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export default function ReportsRoute() {
  const { filter, search, report, trips, strategies, failure } = useLoaderData<typeof loader>();
  const strategyNames = useMemo(() => Object.fromEntries(strategies.map((s) => [s.id, s.name])), [strategies]);
  const pages = useRoundTripPages(trips, search);
  const filtered = Object.values(filter).some(Boolean);
  const range = filter.from || filter.to ? `${filter.from || "the first trade"} to ${filter.to || "today"} (IST)` : "All time";
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Reports</h1>
        <span className="muted" data-testid="report-range">{range}</span>
        <div className="page-head-link button-row">
          <a className="button button-secondary" href={exportHref(filter, "executions")} download data-testid="export-executions">
            Export CSV
          </a>
          <a className="button button-small" href={exportHref(filter, "trades")} download data-testid="export-trades">
            Round trips CSV
          </a>
        </div>
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <section className="card">
        <ReportFilters key={search} values={filter} strategies={strategies} />
      </section>
      {report ? (
        <>
          <ReportKpis report={report} />
          {report.totalTrades === 0 ? (
            <section className="card empty-state" data-testid="report-empty">
              <p>
                <strong>No closed round trips {filtered ? "match these filters" : "yet"}.</strong> A round trip counts once its position is flat again (or
                reversed): an entry and its exit.
              </p>
              <p className="muted">
                {filtered ? <Link to="/reports">Clear the filters</Link> : <Link to="/strategies">Send a test alert from a strategy</Link>}, or see what is
                still open on <Link to="/positions">Positions</Link>.
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
                <p className="muted small">Net P&amp;L after each closed trip (IST); underneath, how far it is below its highest point so far.</p>
              </section>
              <section className="card stack-tight" aria-labelledby="daily-title">
                <h2 id="daily-title">Daily P&amp;L</h2>
                <DailyPnlChart days={report.daily} label={`Net P&L per IST trading day over ${report.daily.length} days`} />
                <p className="muted small">Net of charges, per IST trading day (days without a closed trip count as zero).</p>
              </section>
            </div>
          )}
        </>
      ) : null}
      {report && report.exposure.length > 0 ? <ExposureTable exposure={report.exposure} /> : null}
      <section className="card stack" aria-labelledby="trips-title">
        <div className="card-head">
          <h2 id="trips-title">Round trips</h2>
          {report ? (
            <span className="muted small" data-testid="trip-count">
              Showing {pages.rows.length} of {report.totalTrades}, newest first
            </span>
          ) : null}
        </div>
        <RoundTripTable rows={pages.rows} strategyNames={strategyNames} empty={<p className="muted">No closed round trips here yet.</p>} />
        {pages.error ? <AlertBanner tone="error">{pages.error}</AlertBanner> : null}
        {pages.hasMore ? (
          <div>
            <button type="button" className="button button-secondary" onClick={pages.loadMore} disabled={pages.loading}>
              {pages.loading ? "Loading…" : "Load more"}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}

type Exposure = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["report"]>["exposure"];

function ExposureTable({ exposure }: { exposure: Exposure }) {
  return (
    <section className="card stack" aria-labelledby="exposure-title">
      <h2 id="exposure-title">By symbol</h2>
      <div className="table-wrap">
        <table className="table table-cards" data-testid="exposure-table">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col" className="num">Round trips</th>
              <th scope="col" className="num">Net P&amp;L</th>
              <th scope="col" className="num">Turnover</th>
              <th scope="col" className="num">Largest position</th>
            </tr>
          </thead>
          <tbody>
            {exposure.map((e) => (
              <tr key={e.symbol}>
                <td data-label="Symbol" className="card-title mono">{e.symbol}</td>
                <td data-label="Round trips" className="num mono">{e.trades}</td>
                <td data-label="Net P&L" className={`num mono card-key ${pnlClass(e.netPnl)}`}>
                  {formatInr(e.netPnl, { signed: true })}
                </td>
                <td data-label="Turnover" className="num mono">{formatInr(e.turnover)}</td>
                <td data-label="Largest position" className="num mono">{formatQty(e.maxQty)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
