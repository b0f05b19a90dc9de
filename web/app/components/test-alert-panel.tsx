import { Form, Link } from "@remix-run/react";
import type { SendTestAlertMutation } from "../graphql/generated/graphql";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type Result = SendTestAlertMutation["sendTestAlert"];
type TargetResult = Result["targets"][number];
type TestAlertPanelProps = {
  mode: string;
  /** The account each fan-out target trades on, by the target's strategy id (broker, label, masked client id) */
  targetAccounts?: Record<string, string>;
  result: Result | null;
  /** A problem with the request itself (bad price, not allowed) */
  error: string | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
};

// "Send test alert": the alert TradingView would post, sent through the webhook's own checks by the API (the
// dashboard never holds the secret). On paper it becomes a real paper order; on a LIVE strategy it is a dry run.
export function TestAlertPanel({ mode, targetAccounts = {}, result, error, fieldErrors, busy }: TestAlertPanelProps) {
  const live = mode === "LIVE";
  return (
    <section className="card stack" aria-labelledby="test-alert-title">
      <h2 id="test-alert-title">Send a test alert</h2>
      <p className="muted small">
        {live
          ? "LIVE strategy: the alert is checked like a real one (enabled, trading window, risk limits, broker connection) but nothing is recorded and no order is placed."
          : "Sends this strategy's alert through the webhook's checks, marked as a test; on paper it fills like a TradingView alert and moves the paper position."}
      </p>
      <Form method="post" className="stack" noValidate aria-labelledby="test-alert-title">
        <div className="field-row">
          <FormField label="Side" name="testSide">
            {(a11y) => (
              <select {...a11y} name="testSide" defaultValue="BUY">
                <option value="BUY">BUY</option>
                <option value="SELL">SELL</option>
                <option value="EXIT">EXIT (close)</option>
              </select>
            )}
          </FormField>
          <FormField
            label="Price (optional)"
            name="testPrice"
            error={fieldErrors.testPrice}
            hint="Default: the latest known price"
          >
            {(a11y) => <input {...a11y} name="testPrice" inputMode="decimal" placeholder="e.g. 2500.50" />}
          </FormField>
        </div>
        <div>
          <button type="submit" name="intent" value="test-alert" className="button button-secondary" disabled={busy}>
            {busy ? "Sending…" : live ? "Check a test alert (dry run)" : "Send test alert"}
          </button>
        </div>
      </Form>
      {error ? <AlertBanner tone="error">{error}</AlertBanner> : null}
      {result ? <TestAlertAnswer result={result} targetAccounts={targetAccounts} /> : null}
    </section>
  );
}

function TestAlertAnswer({ result, targetAccounts }: { result: Result; targetAccounts: Record<string, string> }) {
  const ok = result.httpStatus === 202 || result.httpStatus === 200;
  return (
    <div className="stack" data-testid="test-alert-result" aria-live="polite">
      <AlertBanner tone={ok ? "success" : "error"}>
        <strong data-testid="test-alert-status">HTTP {result.httpStatus}</strong> {result.message}
        {result.executionId ? (
          <p>
            <Link to={`/executions/${result.executionId}`}>Open its execution</Link>
          </p>
        ) : null}
      </AlertBanner>
      {result.targets.length ? (
        <section className="stack" aria-labelledby="test-alert-targets-title">
          <h3 id="test-alert-targets-title">On the other accounts</h3>
          <ul className="plain-list stack" data-testid="test-alert-targets">
            {result.targets.map((t) => (
              <TargetAnswer key={t.strategyId} target={t} account={targetAccounts[t.strategyId] ?? null} />
            ))}
          </ul>
        </section>
      ) : null}
      <details>
        <summary>Webhook answer and the alert sent</summary>
        <pre className="code-block" data-testid="test-alert-response">
          {JSON.stringify(result.response, null, 2)}
        </pre>
        <pre className="code-block">{JSON.stringify(result.alert, null, 2)}</pre>
      </details>
    </div>
  );
}

// One fan-out target's answer: which account, the status the webhook would give it, and why (its reject reason)
function TargetAnswer({ target, account }: { target: TargetResult; account: string | null }) {
  const reason = reasonOf(target.response);
  const status = target.httpStatus === null ? target.outcome : `HTTP ${target.httpStatus}`;
  return (
    <li data-testid="test-alert-target">
      <strong>{account ?? `${target.broker} · ${target.name}`}</strong> <span className="muted">({target.mode})</span>
      {" · "}
      <span data-testid="test-alert-target-status">{status}</span>
      {reason ? (
        <>
          {" · "}
          <span className="mono">{reason}</span>
        </>
      ) : null}
      <p className="muted small">
        {target.message}
        {target.executionId ? (
          <>
            {" "}
            <Link to={`/executions/${target.executionId}`}>Open its execution</Link>
          </>
        ) : null}
      </p>
    </li>
  );
}

function reasonOf(response: unknown): string | null {
  if (!response || typeof response !== "object") return null;
  const reason = (response as { reason?: unknown }).reason;
  return typeof reason === "string" ? reason : null;
}
