import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { PositionTable, positionKey } from "../components/position-table";
import { Toast } from "../components/toast";
import { ClosePositionDocument, PositionsDocument, StrategiesDocument } from "../graphql/generated/graphql";
import type { TradingMode } from "../graphql/generated/schema-types";
import { requireAuthedApi } from "../lib/authed-api.server";
import { TRADING_MODES } from "../lib/execution-filter";
import { useSettledActionData } from "../lib/use-settled-action-data";
import type { loader as appLoader } from "./_app";

export const meta: MetaFunction = () => [{ title: "Positions · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const requested = new URL(request.url).searchParams.get("mode") ?? "";
  const mode = (TRADING_MODES as readonly string[]).includes(requested) ? (requested as TradingMode) : null;
  const [positions, strategies] = await Promise.all([
    api.execute("query", PositionsDocument, { mode }),
    api.execute("query", StrategiesDocument, {}),
  ]);
  const list = strategies.data?.strategies ?? [];
  return data(
    {
      mode: mode ?? "",
      positions: positions.data?.positions ?? [],
      strategyNames: Object.fromEntries(list.map((s) => [s.id, s.name])),
      owners: Object.fromEntries(list.map((s) => [s.id, s.userId])),
      // One id per page view: a resent or double-clicked close of the same position is one close at the API
      closeRequestId: crypto.randomUUID(),
      failure: positions.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const form = await request.formData();
  if (form.get("intent") !== "close")
    return data(
      { ok: false, message: "Unknown action.", executionId: null },
      { status: 400, headers: await api.headers() },
    );
  const mode = String(form.get("mode") ?? "");
  const symbol = String(form.get("symbol") ?? "");
  const result = await api.execute("mutation", ClosePositionDocument, {
    strategyId: String(form.get("strategyId") ?? ""),
    symbol,
    mode: (TRADING_MODES as readonly string[]).includes(mode) ? (mode as TradingMode) : null,
    requestId: String(form.get("requestId") ?? "").slice(0, 100) || null,
  });
  if (result.failure)
    return data(
      { ok: false, message: result.failure.message, executionId: null },
      { status: 400, headers: await api.headers() },
    );
  const e = result.data.closePosition;
  return data(
    { ok: true, message: `Close of ${symbol} sent: the EXIT is ${e.status}.`, executionId: e.id },
    { headers: await api.headers() },
  );
}

export default function PositionsRoute() {
  const { mode, positions, strategyNames, owners, closeRequestId, failure } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof appLoader>("routes/_app");
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const meId = layout?.me?.id;
  const own = useMemo(
    () =>
      new Set(
        Object.entries(owners)
          .filter(([, userId]) => userId === meId)
          .map(([id]) => id),
      ),
    [owners, meId],
  );
  const form = navigation.state === "submitting" ? navigation.formData : undefined;
  const closing =
    form?.get("intent") === "close"
      ? positionKey({
          strategyId: String(form.get("strategyId")),
          symbol: String(form.get("symbol")),
          mode: String(form.get("mode")) as TradingMode,
        })
      : null;
  const toast = useMemo(
    () =>
      outcome?.ok
        ? {
            tone: "success" as const,
            text: outcome.message,
            link: outcome.executionId
              ? { to: `/executions/${outcome.executionId}`, label: "Follow the EXIT" }
              : undefined,
          }
        : null,
    [outcome],
  );
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
      {outcome && !outcome.ok ? <AlertBanner tone="error">{outcome.message}</AlertBanner> : null}
      <Toast message={toast} />
      <section className="card" aria-label="Positions">
        <PositionTable
          positions={positions}
          strategyNames={strategyNames}
          ownStrategies={own}
          closeRequestId={closeRequestId}
          closing={closing}
        />
      </section>
      <p className="muted small">
        Unrealized P&amp;L is at the latest known price: the newest price your alerts or fills brought for the symbol
        (its time under the price). Totals are per mode, since paper money and real money do not add up.
      </p>
    </div>
  );
}
