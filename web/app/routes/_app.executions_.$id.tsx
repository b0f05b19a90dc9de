import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { AlertBanner } from "../components/alert-banner";
import { ExecutionLegs } from "../components/execution-legs";
import { ExecutionTimeline } from "../components/execution-timeline";
import { LiveIndicator } from "../components/live-indicator";
import { JsonBlock } from "../components/json-block";
import { ModeBadge, SideBadge, StatusBadge } from "../components/status-badge";
import {
  ApproveExecutionDocument,
  ExecutionDetailDocument,
  ExecutionStrategyDocument,
  RejectExecutionDocument,
} from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { pnlClass } from "../lib/decimal-display";
import { formatIst } from "../lib/ist-time";
import { liveConnection, NO_STORE, noStoreHeaders } from "../lib/live-connection.server";
import { formatInr, formatPrice, formatQty } from "../lib/money-format";
import { explainPlan, readPlan } from "../lib/plan-text";
import { rejectReasonText } from "../lib/reject-reasons";
import { explainSizing, positionMismatchText } from "../lib/risk-text";
import { useLiveConnection } from "../lib/use-live-connection";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Execution · AlgoDatta" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": NO_STORE });

const SOURCES: Record<string, string> = {
  alert: "TradingView alert",
  test_alert: "Test alert from the dashboard",
  close: "Closed from the dashboard",
  square_off: "Intraday square-off",
};

// Who holds the stop loss and the target: the broker's own bracket order, or AlgoDatta's exit plan
const EXITS_MODES: Record<string, string> = {
  NATIVE: "Native at the broker (bracket order: the broker holds the target and the stop)",
  EMULATED: "Emulated by AlgoDatta (exit plan: the exit is sent when a price crosses a level)",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", ExecutionDetailDocument, { id: params.id ?? "" });
  if (result.data && !result.data.execution)
    throw new Response("This execution does not exist or is not yours.", { status: 404 });
  const strategyId = result.data?.execution?.strategyId;
  const strategy = strategyId ? await api.execute("query", ExecutionStrategyDocument, { id: strategyId }) : null;
  return data(
    {
      execution: result.data?.execution ?? null,
      strategyName: strategy?.data?.strategy?.name ?? null,
      failure: result.failure ?? null,
      live: liveConnection(api),
    },
    { headers: await noStoreHeaders(api) },
  );
}

// Approve or reject an execution awaiting approval; the page reloads with its new status
export async function action({ request, params }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const form = await request.formData();
  const id = params.id ?? "";
  const reason = String(form.get("reason") ?? "").trim();
  const result =
    form.get("intent") === "approve"
      ? await api.execute("mutation", ApproveExecutionDocument, { id })
      : await api.execute("mutation", RejectExecutionDocument, { id, reason: reason || null });
  const outcome = result.failure
    ? { ok: false as const, message: result.failure.message }
    : { ok: true as const, message: "" };
  return data(outcome, { status: result.failure ? 400 : 200, headers: await api.headers() });
}

export default function ExecutionRoute() {
  const { execution: e, strategyName, failure, live } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const answering = useNavigation().state === "submitting";
  // The timeline grows while the order is worked: reload on this execution's events.
  const { status, revalidate } = useLiveConnection({
    live,
    strategyId: e?.strategyId,
    onEvent: (event) => {
      if (event.executionId === e?.id) revalidate();
    },
  });
  if (!e) return <AlertBanner tone="error">{failure?.message ?? "The execution could not be loaded."}</AlertBanner>;
  const fact = (label: string, value: ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  const plan = readPlan(e.plan);
  const sizing = explainSizing(e.sizing);
  const mismatch = positionMismatchText(e.positionCheck);
  // An SL-M the broker refuses on this segment went as SL with a band (plan.stopLimit, issue 18)
  const stopLimit = (e.plan as unknown as { stopLimit?: { reason?: string } } | null | undefined)?.stopLimit;
  return (
    <div className="stack">
      <p className="crumbs">
        <Link to="/executions">Executions</Link> / <span className="mono">{e.id}</span>
      </p>
      <div className="page-head">
        <h1>
          <SideBadge side={e.side} /> {formatQty(e.qty)} {e.symbol}
        </h1>
        <StatusBadge status={e.status} />
        <ModeBadge mode={e.mode} />
        <LiveIndicator status={status} />
        <span className="page-head-link">
          Strategy:{" "}
          {strategyName ? (
            <Link to={`/strategies/${e.strategyId}`} data-testid="execution-strategy">
              {strategyName}
            </Link>
          ) : (
            <span className="muted">deleted</span>
          )}
        </span>
      </div>
      {e.status === "AWAITING_APPROVAL" ? (
        <section className="card stack" aria-labelledby="approval-title" data-testid="approval">
          <h2 id="approval-title">Awaiting your approval</h2>
          <p>
            Nothing has been sent to the broker. Approving checks the risk rules and the signal&apos;s age again, then
            places the order at once.
          </p>
          {outcome && !outcome.ok ? <AlertBanner tone="error">{outcome.message}</AlertBanner> : null}
          <Form method="post" className="button-row">
            <label>
              Reason (if rejecting) <input type="text" name="reason" maxLength={500} placeholder="Optional" />
            </label>
            <button type="submit" name="intent" value="approve" className="button button-primary" disabled={answering}>
              Approve
            </button>
            <button type="submit" name="intent" value="reject" className="button" disabled={answering}>
              Reject
            </button>
          </Form>
        </section>
      ) : null}
      {e.rejectReason ? (
        <AlertBanner tone="error" testId="reject-reason">
          <strong>Refused: {rejectReasonText(e.rejectReason)}</strong> <span className="mono">({e.rejectReason})</span>
          {e.lastError ? <p>{e.lastError}</p> : null}
        </AlertBanner>
      ) : e.lastError ? (
        <AlertBanner tone="error">Last error: {e.lastError}</AlertBanner>
      ) : null}
      {mismatch ? (
        <AlertBanner tone="warning" testId="position-mismatch">
          <strong>Position mismatch.</strong> {mismatch}
        </AlertBanner>
      ) : null}
      {sizing ? (
        <section className="card stack" aria-labelledby="sizing-title" data-testid="execution-sizing">
          <h2 id="sizing-title">How the quantity was sized</h2>
          <p>{sizing}</p>
        </section>
      ) : null}
      {plan ? (
        <section className="card stack" aria-labelledby="decision-title" data-testid="execution-decision">
          <h2 id="decision-title">Why this order</h2>
          <p>{explainPlan(plan)}</p>
          {stopLimit?.reason ? <p data-testid="stop-limit">Sent as SL: {stopLimit.reason}.</p> : null}
          <p className="muted small">Quantities are in order units: shares, or lots × lot size for F&amp;O and MCX.</p>
        </section>
      ) : null}
      <div className="detail-grid detail-grid-even">
        <section className="card">
          <h2>Order</h2>
          <dl className="details">
            {fact("Created", formatIst(e.createdAt))}
            {fact("Updated", formatIst(e.updatedAt))}
            {fact("Source", SOURCES[e.source] ?? e.source)}
            {fact("Mode / broker", `${e.mode} · ${e.broker}`)}
            {fact("Type", `${e.orderType} · ${e.productType} · ${e.exchangeSegment}`)}
            {fact("Filled", <span className="mono">{`${formatQty(e.filledQty)} of ${formatQty(e.qty)}`}</span>)}
            {fact("Price (limit or reference)", <span className="mono">{formatPrice(e.price)}</span>)}
            {e.triggerPrice ? fact("Trigger price", <span className="mono">{formatPrice(e.triggerPrice)}</span>) : null}
            {fact(
              "Avg fill price",
              <span className="mono" data-testid="detail-fill-price">
                {formatPrice(e.avgFillPrice)}
              </span>,
            )}
            {fact("Charges", <span className="mono">{formatInr(e.charges)}</span>)}
            {fact("P&L", <span className={`mono ${pnlClass(e.pnl)}`}>{formatInr(e.pnl, { signed: true })}</span>)}
            {e.exitsMode
              ? fact("Exits", <span data-testid="detail-exits-mode">{EXITS_MODES[e.exitsMode] ?? e.exitsMode}</span>)
              : null}
            {fact("Attempts", e.attempts)}
            {fact("Broker order id", <span className="mono">{e.brokerOrderId ?? "—"}</span>)}
            {fact("Exchange algo id", <span className="mono">{e.algoId ?? "—"}</span>)}
            {fact("Client order id", <span className="mono">{e.clientOrderId}</span>)}
            {fact("Correlation id", <span className="mono">{e.correlationId}</span>)}
          </dl>
        </section>
        <section className="card">
          <h2>Timeline</h2>
          <ExecutionTimeline events={e.events} />
        </section>
      </div>
      <ExecutionLegs legs={e.legs} />
      <section className="card stack">
        <h2>Broker</h2>
        <JsonBlock title="Request" value={e.brokerRequest} testId="broker-request" />
        <JsonBlock title="Response" value={e.brokerResponse} testId="broker-response" />
      </section>
    </div>
  );
}
