import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { AlertBanner } from "../components/alert-banner";
import { PositionTable } from "../components/position-table";
import { PositionsDocument, StrategiesDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { TRADING_MODES } from "../lib/execution-filter";
import type { TradingMode } from "../graphql/generated/schema-types";

export const meta: MetaFunction = () => [{ title: "Positions · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const requested = new URL(request.url).searchParams.get("mode") ?? "";
  const mode = (TRADING_MODES as readonly string[]).includes(requested) ? (requested as TradingMode) : null;
  const [positions, strategies] = await Promise.all([
    api.execute("query", PositionsDocument, { mode }),
    api.execute("query", StrategiesDocument, {}),
  ]);
  return data(
    {
      mode: mode ?? "",
      positions: positions.data?.positions ?? [],
      strategyNames: Object.fromEntries((strategies.data?.strategies ?? []).map((s) => [s.id, s.name])),
      failure: positions.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export default function PositionsRoute() {
  const { mode, positions, strategyNames, failure } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Positions</h1>
        <Form method="get" className="inline-form" key={mode}>
          <label className="filter filter-inline">
            <span>Mode</span>
            <select name="mode" defaultValue={mode} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
              <option value="">Paper and live</option>
              {TRADING_MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <noscript>
            <button type="submit" className="button button-secondary">
              Show
            </button>
          </noscript>
        </Form>
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <section className="card" aria-label="Positions">
        <PositionTable positions={positions} strategyNames={strategyNames} />
      </section>
    </div>
  );
}
