import { Form } from "@remix-run/react";
import type { DeployStrategyMutation, StrategyDetailFragment } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import { AlertBanner } from "./alert-banner";
import { ConfirmAction } from "./confirm-action";
import { CopyButton } from "./copy-button";

type Deployment = DeployStrategyMutation["deployStrategy"];
type Preview = NonNullable<StrategyDetailFragment["deployment"]>;
type DeploymentPanelProps = { preview: Preview | null; deployment: Deployment | null; busy: boolean };

// "Deploy to TradingView": issues the webhook secret. The API shows it in that one answer only (it keeps a hash),
// so afterwards the alert message is shown with the secret masked; "rotate and reveal" issues a new one.
export function DeploymentPanel({ preview, deployment, busy }: DeploymentPanelProps) {
  const warning = deployment?.webhookUrlWarning ?? preview?.webhookUrlWarning ?? null;
  return (
    <section className="card stack" aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deploy to TradingView</h2>
      {warning ? <WebhookUrlWarning text={warning} /> : null}
      {deployment ? (
        <DeploymentDetails deployment={deployment} />
      ) : preview ? (
        <DeploymentPreview preview={preview} />
      ) : (
        <p className="muted">
          Not deployed yet. Deploying creates the webhook URL and secret to paste into a TradingView alert.
        </p>
      )}
      {preview || deployment ? (
        <ConfirmAction
          label="Rotate and reveal a new secret"
          confirmLabel="Yes, rotate the secret"
          intent="deploy"
          busy={busy}
        >
          A new secret is issued and shown once; the current one stops working at once, so every TradingView alert using
          it must be updated with the new alert message.
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

// PUBLIC_BASE_URL is the server's setting, so the words are for whoever runs it
function WebhookUrlWarning({ text }: { text: string }) {
  return (
    <AlertBanner tone="warning" testId="webhook-url-warning">
      <strong>TradingView cannot use this webhook URL.</strong>
      <p>{text}</p>
    </AlertBanner>
  );
}

function DeploymentDetails({ deployment }: { deployment: Deployment }) {
  return (
    <div className="stack" data-testid="deployment">
      <AlertBanner tone="info">
        <strong>Copy the secret now: it cannot be shown again.</strong> Later the alert message is shown with the secret
        masked; rotating issues a new one and the old one stops working.
      </AlertBanner>
      <CopyField label="Webhook URL" value={deployment.webhookUrl} testId="webhook-url" />
      <CopyField label="Webhook secret" value={deployment.webhookSecret} testId="webhook-secret" />
      <CopyField
        label="Alert message (paste into the TradingView alert)"
        value={deployment.alertMessage}
        testId="alert-message"
        block
      />
      <AlertRules />
      <CopyField label="Pine Script snippet" value={deployment.pineSnippet} testId="pine-snippet" block />
    </div>
  );
}

function DeploymentPreview({ preview }: { preview: Preview }) {
  return (
    <div className="stack" data-testid="deployment-preview">
      <p className="muted">
        Deployed {formatIst(preview.deployedAt)}. The secret was shown once at that time; below it is masked as{" "}
        <code>whsec_********</code>. To paste the message into a new alert, rotate and reveal a new secret.
      </p>
      <CopyField label="Webhook URL" value={preview.webhookUrl} testId="webhook-url" />
      <MaskedField label="Alert message (secret masked)" value={preview.alertMessage} testId="alert-message-masked" />
      <AlertRules />
      <details>
        <summary>Pine Script snippet (secret masked)</summary>
        <pre className="code-block">{preview.pineSnippet}</pre>
      </details>
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

// No copy button: pasted into TradingView, a masked secret would only produce 401s
function MaskedField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="copy-field">
      <span className="copy-field-label">{label}</span>
      <pre className="code-block" data-testid={testId}>
        {value}
      </pre>
    </div>
  );
}

// How the message's fields become an order (the same rules as the README's "Connect TradingView")
function AlertRules() {
  return (
    <details data-testid="alert-rules">
      <summary>How an alert becomes an order</summary>
      <ul className="muted">
        <li>
          <code>market_position</code> and <code>position_size</code> say where TradingView&apos;s strategy stands after
          its order; the order brings this strategy&apos;s position there: <em>flat</em> closes it, a reversal goes to
          the size TradingView holds (lots for F&amp;O and MCX, shares for equity).
        </li>
        <li>
          Alerts without <code>market_position</code> (such as the Pine snippet&apos;s) follow the strategy&apos;s
          opposite-signal setting; <code>EXIT</code> closes the position, or reduces it by its <code>qty</code> when
          above 0.
        </li>
        <li>
          An alert naming a symbol other than the strategy&apos;s is refused (<code>symbol_mismatch</code>) unless it is
          listed under Other symbols; exchange prefixes (NSE:) and continuous contracts (1!) still match.
        </li>
        <li>
          Exits: add <code>stop_loss</code>, <code>take_profit</code> (a price, <code>&quot;1.5%&quot;</code> or{" "}
          <code>&quot;20pts&quot;</code>), <code>trailing_stop</code>, <code>breakeven_at</code> or{" "}
          <code>exit_after</code> (minutes) to an entry, or set them on the strategy. After the entry fills, a crossed
          stop or target sends one exit and cancels the other. The price is read from every alert; for a closer watch
          add a second alert that fires on every bar with the message{" "}
          <code>
            {`{"secret": "…", "idempotency_key": "{{ticker}}-{{timenow}}", "side": "PRICE", "price": {{close}}}`}
          </code>{" "}
          (recorded, never an order).
        </li>
      </ul>
    </details>
  );
}
