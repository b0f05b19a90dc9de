import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { AlertBanner } from "../components/alert-banner";
import { ExecutionTable } from "../components/execution-table";
import { Sparkline } from "../components/sparkline";
import { HomeDocument, type HomeQuery } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { pnlClass } from "../lib/decimal-display";
import { formatInr } from "../lib/money-format";
import { tokenState } from "../lib/token-expiry";
import type { loader as appLoader } from "./_app";

export const meta: MetaFunction = () => [{ title: "Home · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", HomeDocument, {});
  return data(
    { home: result.data ?? null, failure: result.failure ?? null, now: new Date().toISOString() },
    { headers: await api.headers() },
  );
}

type ModeToday = HomeQuery["todaySummary"]["modes"][number];

// Today at a glance: P&L per mode, open positions, alerts per minute, the latest executions, whether trading is
// halted and whether the broker token still works. A trader with no strategy yet gets the steps to start.
export default function HomeRoute() {
  const { home, failure, now } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof appLoader>("routes/_app");
  const me = layout?.me;
  if (!me) return null;
  const mine = home?.strategies.filter((s) => s.userId === me.id) ?? [];
  const isNew = home !== null && mine.length === 0;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{isNew ? "Welcome to AlgoDatta" : "Welcome back"}</h1>
        <span className="muted small">
          Signed in as <span data-testid="me-email">{me.email}</span>
          {me.role === "ADMIN" ? <span className="badge badge-admin"> ADMIN</span> : null}
        </span>
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      {isNew ? <GettingStarted /> : null}
      {home ? (
        <Glance
          home={home}
          killSwitch={layout?.killSwitch ?? false}
          now={now}
          meId={me.id}
          admin={me.role === "ADMIN"}
        />
      ) : null}
    </div>
  );
}

function GettingStarted() {
  return (
    <section className="card stack" aria-labelledby="start-title" data-testid="getting-started">
      <h2 id="start-title">Start trading from TradingView in four steps</h2>
      <ol className="checklist">
        <li>
          <Link to="/strategies#new-strategy">Create a strategy</Link>: the symbol, quantity and whether it trades on
          paper or live.
        </li>
        <li>Deploy it to get its webhook URL and alert message.</li>
        <li>
          Paste both into a TradingView alert, then send a test alert from the strategy page to see an order arrive.
        </li>
        <li>
          For real orders, <Link to="/broker">connect your DhanHQ account</Link> and switch the strategy to Live.
        </li>
      </ol>
    </section>
  );
}

type GlanceProps = { home: HomeQuery; killSwitch: boolean; now: string; meId: string; admin: boolean };

function Glance({ home, killSwitch, now, meId, admin }: GlanceProps) {
  const live = home.todaySummary.modes.find((m) => m.mode === "LIVE");
  const paper = home.todaySummary.modes.find((m) => m.mode === "PAPER");
  const perMinute = home.todaySummary.alertsPerMinute;
  const lastHour = perMinute.reduce((n, m) => n + m.count, 0);
  const peak = Math.max(0, ...perMinute.map((m) => m.count));
  const names = Object.fromEntries(home.strategies.map((s) => [s.id, s.name]));
  const rows = home.executions.edges.map((e) => e.node);
  return (
    <>
      <div className="kpis" data-testid="today">
        {live && (live.executions > 0 || live.openPositions > 0) ? <ModeCard mode={live} /> : null}
        {paper ? <ModeCard mode={paper} /> : null}
        <section className="card kpi" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Alerts, last hour</h2>
          <span className="kpi-value" data-testid="alerts-last-hour">
            {lastHour}
          </span>
          <Sparkline
            points={perMinute}
            label={`Alerts per minute over the last hour: ${lastHour} in total, at most ${peak} in a minute`}
          />
          <span className="muted small">Peak {peak}/min</span>
        </section>
        <section className="card kpi" aria-labelledby="status-title">
          <h2 id="status-title">Trading status</h2>
          {killSwitch ? (
            <span className="kpi-value pnl-loss" data-testid="trading-status">
              Halted
            </span>
          ) : (
            <span className="kpi-value" data-testid="trading-status">
              Running
            </span>
          )}
          <span className="muted small">
            {killSwitch ? "An administrator turned the kill switch on." : "Kill switch off: alerts become orders."}
          </span>
          <BrokerTokens accounts={home.brokerAccounts.filter((a) => a.userId === meId)} now={now} />
        </section>
      </div>
      <section className="card stack" aria-labelledby="recent-title">
        <div className="card-head">
          <h2 id="recent-title">{admin ? "Latest executions (all users)" : "Latest executions"}</h2>
          <Link to="/executions">All executions</Link>
        </div>
        <ExecutionTable
          rows={rows}
          strategyNames={names}
          compact
          empty={
            <>
              <p>No executions yet.</p>
              <p className="muted">
                They appear when an alert reaches a deployed strategy. <Link to="/strategies">Open a strategy</Link> and
                send a test alert to try it.
              </p>
            </>
          }
        />
      </section>
    </>
  );
}

function ModeCard({ mode }: { mode: ModeToday }) {
  const title = mode.mode === "LIVE" ? "Live today (real money)" : "Paper today";
  return (
    <section className="card kpi" aria-labelledby={`today-${mode.mode}`} data-testid={`today-${mode.mode}`}>
      <h2 id={`today-${mode.mode}`}>{title}</h2>
      <span
        className={`kpi-value ${pnlClass(mode.realizedPnl)}`}
        data-testid={`today-${mode.mode}-pnl`}
        title="Realized P&L today, net of charges"
      >
        {formatInr(mode.realizedPnl, { signed: true })}
      </span>
      <span className="muted small">Realized today, net of {formatInr(mode.charges)} charges</span>
      <div className="kpi-row">
        <span>Unrealized</span>
        <span className={`mono ${pnlClass(mode.unrealizedPnl)}`}>
          {formatInr(mode.unrealizedPnl, { signed: true })}
        </span>
      </div>
      <div className="kpi-row">
        <span>
          <Link to={`/positions?mode=${mode.mode}`}>Open positions</Link>
        </span>
        <span className="mono" data-testid={`today-${mode.mode}-open`}>
          {mode.openPositions}
        </span>
      </div>
      <div className="kpi-row">
        <span>Executions</span>
        <span className="mono">
          {mode.executions} · {mode.filled} filled · {mode.rejected} refused
          {mode.working ? ` · ${mode.working} working` : ""}
        </span>
      </div>
    </section>
  );
}

function BrokerTokens({ accounts, now }: { accounts: HomeQuery["brokerAccounts"]; now: string }) {
  if (accounts.length === 0) {
    return (
      <span className="small">
        No broker connected. <Link to="/broker">Connect DhanHQ</Link> to trade live.
      </span>
    );
  }
  return (
    <ul className="stack-tight small" style={{ margin: 0, paddingLeft: "1rem" }} data-testid="broker-token-state">
      {accounts.map((a) => {
        const state = tokenState(a, now);
        return (
          <li key={a.id}>
            <Link to="/broker">{a.broker}</Link>{" "}
            <span
              className={
                state.tone === "error"
                  ? "badge badge-danger"
                  : state.tone === "warning"
                    ? "badge badge-warn"
                    : state.tone === "ok"
                      ? "badge badge-ok"
                      : "badge"
              }
            >
              {state.label}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
