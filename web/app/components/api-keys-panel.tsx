import { Form } from "@remix-run/react";
import type { ApiKeyRowFragment } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import { fromNow } from "../lib/relative-time";
import { ConfirmAction } from "./confirm-action";
import { CopyButton } from "./copy-button";
import { FormField } from "./form-field";
import { DayInput } from "./day-input";

type Created = { secret: string; name: string } | null;
type ApiKeysPanelProps = {
  keys: ApiKeyRowFragment[];
  created: Created;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  now: string;
  busy: string | null;
};

const scopeText = (scopes: string[]) => (scopes.includes("TRADE") ? "Read and trade" : "Read only");

// Keys for integrations: the secret is shown once, right after it is made; afterwards only its prefix
export function ApiKeysPanel({ keys, created, fieldErrors, values, now, busy }: ApiKeysPanelProps) {
  return (
    <section className="card stack" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted small">
        For scripts and integrations: send a key as <code>Authorization: Bearer &lt;key&gt;</code> to the GraphQL API or
        the CSV export. It acts as you, limited to what you allow; it can never change your password, keys or broker
        account.
      </p>
      {created ? (
        <div className="banner banner-success secret-once" data-testid="api-key-created">
          <strong>Key “{created.name}” created. Copy it now: it is not shown again.</strong>
          <div className="copy-field">
            <code className="code-inline" data-testid="api-key-secret">
              {created.secret}
            </code>
            <div>
              <CopyButton text={created.secret} label="API key" />
            </div>
          </div>
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="muted" data-testid="no-api-keys">
          No API keys. Create one below when a script needs to read your data or trade.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="api-key-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key starts</th>
                <th scope="col">May</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires (IST)</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-api-key-id={k.id}>
                  <td data-label="Name" className="card-title name-cell">
                    {k.name}
                  </td>
                  <td data-label="Key starts" className="mono">
                    {k.prefix}…
                  </td>
                  <td data-label="May" className="card-key">
                    {scopeText(k.scopes)}
                  </td>
                  <td data-label="Last used">{k.lastUsedAt ? fromNow(k.lastUsedAt, now) : "Never"}</td>
                  <td data-label="Expires (IST)">
                    {k.expiresAt ? formatIst(k.expiresAt) : "When revoked"}
                    {k.expiresAt && k.expiresAt <= now ? <span className="badge badge-warn">Expired</span> : null}
                  </td>
                  <td data-label="" className="card-wide">
                    <ConfirmAction
                      label="Revoke"
                      confirmLabel={`Yes, revoke “${k.name}”`}
                      intent="revoke-key"
                      fields={{ id: k.id }}
                      tone="danger"
                      busy={busy === "revoke-key"}
                    >
                      Requests with this key are refused from now on.
                    </ConfirmAction>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form
        method="post"
        className="stack form-narrow"
        noValidate
        key={created ? created.secret.slice(0, 12) : "form"}
        aria-label="Create an API key"
      >
        <h3>Create a key</h3>
        <FormField label="Name" name="key-name" error={fieldErrors.name} hint="What uses it, e.g. “portfolio sync”.">
          {(a11y) => (
            <input {...a11y} name="name" defaultValue={values.name ?? ""} maxLength={100} autoComplete="off" />
          )}
        </FormField>
        <fieldset className="field" aria-describedby={fieldErrors.access ? "field-access-error" : undefined}>
          <legend>May</legend>
          <div className="radio-row">
            <label className="check">
              <input type="radio" name="access" value="READ" defaultChecked={(values.access ?? "READ") === "READ"} />
              <span>
                Read only<small>strategies, executions, positions, reports</small>
              </span>
            </label>
            <label className="check">
              <input type="radio" name="access" value="TRADE" defaultChecked={values.access === "TRADE"} />
              <span>
                Read and trade<small>also create, change, deploy and switch strategies, replay dead letters</small>
              </span>
            </label>
          </div>
          {fieldErrors.access ? (
            <p className="field-error" id="field-access-error" role="alert">
              {fieldErrors.access}
            </p>
          ) : null}
        </fieldset>
        <FormField
          label="Last day (IST, optional)"
          name="expiresOn"
          error={fieldErrors.expiresOn}
          hint="Empty: the key lasts until you revoke it."
        >
          {(a11y) => <DayInput {...a11y} name="expiresOn" value={values.expiresOn ?? ""} />}
        </FormField>
        <div>
          <button
            type="submit"
            name="intent"
            value="create-key"
            className="button button-primary"
            disabled={busy === "create-key"}
          >
            {busy === "create-key" ? "Creating…" : "Create API key"}
          </button>
        </div>
      </Form>
    </section>
  );
}
