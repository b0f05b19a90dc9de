import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { ExecutionFilters } from "../components/execution-filters";
import { ExecutionTable } from "../components/execution-table";
import { LiveIndicator } from "../components/live-indicator";
import { ExecutionsDocument, StrategiesDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { readExecutionFilter } from "../lib/execution-filter";
import type { Page } from "../lib/execution-rows";
import { liveConnection, NO_STORE, noStoreHeaders } from "../lib/live-connection.server";
import { useLiveExecutions } from "../lib/use-live-executions";

const PAGE_SIZE = 25;

export const meta: MetaFunction = () => [{ title: "Executions · AlgoDatta" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": NO_STORE });

// First page for the URL's filters; with ?after=<cursor> the next page (used by "load more").
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const url = new URL(request.url);
  const { values, filter } = readExecutionFilter(url.searchParams);
  const after = url.searchParams.get("after") || null;
  const [executions, strategies] = await Promise.all([
    api.execute("query", ExecutionsDocument, { filter, first: PAGE_SIZE, after }),
    after ? null : api.execute("query", StrategiesDocument, {}),
  ]);
  const connection = executions.data?.executions;
  const searchKey = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
  const page: Page = {
    searchKey,
    rows: connection?.edges.map((e) => ({ ...e.node, cursor: e.cursor })) ?? [],
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    totalCount: connection?.totalCount ?? 0,
    failed: !connection,
  };
  return data(
    {
      page,
      filter: values,
      strategies: strategies?.data?.strategies.map((s) => ({ id: s.id, name: s.name })) ?? [],
      failure: executions.failure ?? strategies?.failure ?? null,
      live: liveConnection(api),
    },
    { headers: await noStoreHeaders(api) },
  );
}

export default function ExecutionsRoute() {
  const { page, filter, strategies, failure, live } = useLoaderData<typeof loader>();
  const { state, status, loadMore, loadingMore } = useLiveExecutions({ page, filter, live });
  const strategyNames = useMemo(() => Object.fromEntries(strategies.map((s) => [s.id, s.name])), [strategies]);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>Executions</h1>
        <LiveIndicator status={status} />
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <section className="card">
        <ExecutionFilters key={state.searchKey} values={filter} strategies={strategies} />
      </section>
      <section className="card stack" aria-label="Executions">
        <p className="muted" data-testid="execution-count" aria-live="polite">
          Showing {state.rows.length} of {state.total}
        </p>
        <ExecutionTable
          rows={state.rows}
          strategyNames={strategyNames}
          empty={
            Object.values(filter).some(Boolean) ? (
              <p>
                No executions match these filters. New ones appear here as alerts arrive.{" "}
                <Link to="/executions">Clear the filters</Link>
              </p>
            ) : (
              <p>
                No executions yet. They appear here live as alerts arrive: deploy a strategy and paste its alert into
                TradingView, or <Link to="/strategies">send a test alert from a strategy</Link>.
              </p>
            )
          }
        />
        {state.hasMore ? (
          <div>
            <button type="button" className="button button-secondary" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? "Loading…" : "Load more"}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
