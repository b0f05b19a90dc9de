import { Form, Link } from "@remix-run/react";
import type { SendTestAlertMutation } from "../graphql/generated/graphql";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type Result = SendTestAlertMutation["sendTestAlert"];
type TestAlertPanelProps = {
  mode: string;
  result: Result | null;
  /** A problem with the request itself (bad price, not allowed) */
  error: string | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
};

// "Send test alert": the alert TradingView would post, sent through the webhook's own checks by the API (the
// dashboard never holds the secret). On paper it becomes a real paper order; on a LIVE strategy it is a dry run.
export function TestAlertPanel({ mode, result, error, fieldErrors, busy }: TestAlertPanelProps) {
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
      {result ? <TestAlertAnswer result={result} /> : null}
    </section>
  );
}

function TestAlertAnswer({ result }: { result: Result }) {
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
