import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Await, useLoaderData } from "@remix-run/react";
import { Suspense, useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { ReportFigures, ReportFiguresLoading } from "../components/report-figures";
import { ReportFilters } from "../components/report-filters";
import { RoundTripTable } from "../components/round-trip-table";
import { ReportFiguresDocument, ReportPageDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { istDay } from "../lib/ist-time";
import { exportHref, readReportFilter, TRIP_PAGE_SIZE } from "../lib/report-filter";
import { useRoundTripPages } from "../lib/use-round-trip-pages";
import { showDay } from "../lib/day-field";

export const meta: MetaFunction = () => [{ title: "Reports · AlgoDatta" }];

// Is the strategy making money: the report over closed round trips for the URL's filters, its charts and trips.
// The trips and the filters come first; the figures, one pass over every trip in the filter (hundreds of
// milliseconds over hundreds of thousands), are streamed into the page when ready.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const url = new URL(request.url);
  const { values, filter } = readReportFilter(url.searchParams);
  // Started together. Only the page's part may renew an expired token pair (the new pair goes out in this
  // response's headers); the streamed part never does, and asks again with the renewed token when it was refused.
  const ask = () => api.execute("query", ReportFiguresDocument, { filter }, { refresh: false });
  const first = ask();
  const page = await api.execute("query", ReportPageDocument, { filter, first: TRIP_PAGE_SIZE });
  const figures = first
    .then((result) => (result.failure?.code === "UNAUTHENTICATED" ? ask() : result))
    .then((result) => ({ report: result.data?.report ?? null, failure: result.failure ?? null }));
  return data(
    {
      filter: values,
      search: url.search,
      today: istDay(new Date().toISOString()),
      trips: page.data?.roundTrips ?? null,
      strategies: page.data?.strategies.map((s) => ({ id: s.id, name: s.name })) ?? [],
      // A bad filter is said once, above the page
      figures: page.failure ? null : figures,
      failure: page.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export default function ReportsRoute() {
  const { filter, search, today, trips, strategies, figures, failure } = useLoaderData<typeof loader>();
  const strategyNames = useMemo(() => Object.fromEntries(strategies.map((s) => [s.id, s.name])), [strategies]);
  const pages = useRoundTripPages(trips, search);
  const filtered = Object.values(filter).some(Boolean);
  const range =
    filter.from || filter.to
      ? `${filter.from ? showDay(filter.from) : "the first trade"} to ${filter.to ? showDay(filter.to) : "today"} (IST)`
      : "All time";
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Reports</h1>
        <span className="muted" data-testid="report-range">
          {range}
        </span>
        <div className="page-head-link button-row">
          <a
            className="button button-secondary"
            href={exportHref(filter, "executions")}
            download
            data-testid="export-executions"
          >
            Export CSV
          </a>
          <a
            className="button button-secondary"
            href={exportHref(filter, "trades")}
            download
            data-testid="export-trades"
          >
            Round trips CSV
          </a>
        </div>
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <section className="card">
        <ReportFilters key={search} values={filter} strategies={strategies} today={today} />
      </section>
      {figures ? (
        <Suspense fallback={<ReportFiguresLoading />}>
          <Await
            resolve={figures}
            errorElement={
              <AlertBanner tone="error">The figures could not be worked out. Please reload the page.</AlertBanner>
            }
          >
            {(resolved) =>
              resolved.report ? (
                <ReportFigures report={resolved.report} filtered={filtered} />
              ) : (
                <AlertBanner tone="error">
                  {resolved.failure?.message ?? "The figures could not be worked out."}
                </AlertBanner>
              )
            }
          </Await>
        </Suspense>
      ) : null}
      <section className="card stack" aria-labelledby="trips-title">
        <div className="card-head">
          <h2 id="trips-title">Round trips</h2>
          {figures ? (
            <Suspense fallback={<span className="muted small">Showing {pages.rows.length}, newest first</span>}>
              <Await resolve={figures} errorElement={<span />}>
                {(resolved) => (
                  <span className="muted small" data-testid="trip-count">
                    Showing {pages.rows.length} of {resolved.report?.totalTrades ?? "?"}, newest first
                  </span>
                )}
              </Await>
            </Suspense>
          ) : null}
        </div>
        <RoundTripTable
          rows={pages.rows}
          strategyNames={strategyNames}
          empty={<p className="muted">No closed round trips here yet.</p>}
        />
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
