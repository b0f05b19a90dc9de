import { Form } from "@remix-run/react";
import type { DeployStrategyMutation } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import { AlertBanner } from "./alert-banner";
import { ConfirmAction } from "./confirm-action";
import { CopyButton } from "./copy-button";

type Deployment = DeployStrategyMutation["deployStrategy"];
type DeploymentPanelProps = { deployedAt: string | null; deployment: Deployment | null; busy: boolean };

// "Deploy to TradingView": issues the webhook secret. The API shows it in this one answer only,
// so it lives in the action result and is gone on the next page load; deploying again rotates it.
export function DeploymentPanel({ deployedAt, deployment, busy }: DeploymentPanelProps) {
  return (
    <section className="card stack" aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deploy to TradingView</h2>
      {deployment ? (
        <DeploymentDetails deployment={deployment} />
      ) : (
        <p className="muted">
          {deployedAt
            ? `Deployed ${formatIst(deployedAt)}. The secret was shown once at that time.`
            : "Not deployed yet. Deploying creates the webhook URL and secret to paste into a TradingView alert."}
        </p>
      )}
      {deployedAt || deployment ? (
        <ConfirmAction label="Deploy again (new secret)" confirmLabel="Yes, rotate the secret" intent="deploy" busy={busy}>
          A new secret is issued and the current one stops working at once: every TradingView alert using it must be updated.
        </ConfirmAction>
      ) : (
        <Form method="post">
          <button type="submit" name="intent" value="deploy" className="button button-primary" disabled={busy}>
            {busy ? "Deploying…" : "Deploy to TradingView"}
          </button>
        </Form>
      )}
    </section>
  );
}

function DeploymentDetails({ deployment }: { deployment: Deployment }) {
  return (
    <div className="stack" data-testid="deployment">
      <AlertBanner tone="info">
        <strong>Copy the secret now: it cannot be shown again.</strong> Deploying again rotates it and the old one stops working.
      </AlertBanner>
      <CopyField label="Webhook URL" value={deployment.webhookUrl} testId="webhook-url" />
      <CopyField label="Webhook secret" value={deployment.webhookSecret} testId="webhook-secret" />
      <CopyField label="Alert message (paste into the TradingView alert)" value={deployment.alertMessage} testId="alert-message" block />
      <AlertRules />
      <CopyField label="Pine Script snippet" value={deployment.pineSnippet} testId="pine-snippet" block />
    </div>
  );
}

function CopyField({ label, value, testId, block }: { label: string; value: string; testId: string; block?: boolean }) {
  return (
    <div className="copy-field">
      <div className="copy-field-head">
        <span className="copy-field-label">{label}</span>
        <CopyButton text={value} label={label} />
      </div>
      {block ? (
        <pre className="code-block" data-testid={testId}>
          {value}
        </pre>
      ) : (
        <code className="code-inline" data-testid={testId}>
          {value}
        </code>
      )}
    </div>
  );
}

// How the message's fields become an order (the same rules as the README's "Connect TradingView")
function AlertRules() {
  return (
    <ul className="muted" data-testid="alert-rules">
      <li>
        <code>market_position</code> and <code>position_size</code> say where TradingView's strategy stands after its order; the order
        brings this strategy's position there: <em>flat</em> closes it, a reversal goes to the size TradingView holds (lots for F&amp;O
        and MCX, shares for equity).
      </li>
      <li>
        Alerts without <code>market_position</code> (such as the Pine snippet's) follow the strategy's opposite-signal setting;{" "}
        <code>EXIT</code> closes the position, or reduces it by its <code>qty</code> when above 0.
      </li>
      <li>
        An alert naming a symbol other than the strategy's is refused (<code>symbol_mismatch</code>) unless it is listed under Other
        symbols; exchange prefixes (NSE:) and continuous contracts (1!) still match.
      </li>
    </ul>
  );
}
