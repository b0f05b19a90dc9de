import { Form } from "@remix-run/react";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type BrokerConnectFormProps = {
  broker: string;
  displayName: string;
  connected: boolean;
  /** The user already has an account at this broker: the form can add another under a label */
  hasAccount?: boolean;
  clientId?: string;
  label?: string;
  fieldErrors: Record<string, string>;
  message: string | null;
  busy: boolean;
  /** Changes with every answer: the form is drawn afresh, so a refused token does not stay in the field */
  attempt: string;
};

// Client id and access token; the API checks them with the broker before storing the token encrypted.
export function BrokerConnectForm({
  broker,
  displayName,
  connected,
  hasAccount = false,
  clientId,
  label,
  fieldErrors,
  message,
  busy,
  attempt,
}: BrokerConnectFormProps) {
  return (
    <section className="card stack" aria-labelledby={`connect-${broker}`}>
      <h2 id={`connect-${broker}`}>
        {hasAccount
          ? `Connect another ${displayName} account, or again with a new token`
          : connected
            ? `Connect ${displayName} again with a new token`
            : `Connect ${displayName}`}
      </h2>
      {broker === "dhan" ? <DhanHelp open={!connected} /> : null}
      {message ? <AlertBanner tone="error">{message}</AlertBanner> : null}
      <Form method="post" className="stack form-narrow" noValidate autoComplete="off" key={attempt}>
        <input type="hidden" name="broker" value={broker} />
        {hasAccount ? (
          <FormField
            label="Account label"
            name="label"
            error={fieldErrors.label}
            hint="A new name (e.g. Dhan wife) adds another account; leave empty to replace the token of the account with this client id."
          >
            {(a11y) => <input {...a11y} name="label" defaultValue={label} autoComplete="off" maxLength={64} />}
          </FormField>
        ) : null}
        <FormField
          label="Client id"
          name="clientId"
          error={fieldErrors.clientId}
          hint={broker === "dhan" ? "Your Dhan client id, e.g. 1100003626." : undefined}
        >
          {(a11y) => (
            <input
              {...a11y}
              name="clientId"
              defaultValue={clientId}
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </FormField>
        <FormField
          label="Access token"
          name="accessToken"
          error={fieldErrors.accessToken}
          hint="Stored encrypted; it is never shown again."
        >
          {(a11y) => <input {...a11y} name="accessToken" type="password" autoComplete="off" spellCheck={false} />}
        </FormField>
        <div>
          <button type="submit" name="intent" value="connect" className="button button-primary" disabled={busy}>
            {busy
              ? `Checking with ${displayName}…`
              : hasAccount
                ? `Connect ${displayName} account`
                : connected
                  ? "Replace the token"
                  : `Connect ${displayName}`}
          </button>
        </div>
      </Form>
    </section>
  );
}

function DhanHelp({ open }: { open: boolean }) {
  return (
    <details className="small" open={open}>
      <summary>Where to find them</summary>
      <ol className="checklist">
        <li>
          Sign in to <strong>web.dhan.co</strong> and open <strong>My Profile</strong> (your name, top right).
        </li>
        <li>
          Choose <strong>Access DhanHQ APIs</strong>, then <strong>Generate access token</strong>. Copy the token: Dhan
          shows it once.
        </li>
        <li>Your client id is on the same page and on your profile. Paste both here.</li>
        <li>
          Dhan tokens last 24 hours: generate a new one each trading day and connect again here, or live orders are
          rejected.
        </li>
      </ol>
    </details>
  );
}
