import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { ConfirmAction } from "../components/confirm-action";
import { FormField } from "../components/form-field";
import { Toast } from "../components/toast";
import { ApiKeysPanel } from "../components/api-keys-panel";
import {
  AccountDocument,
  ChangePasswordDocument,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
  RevokeSessionDocument,
} from "../graphql/generated/graphql";
import { readApiKeyForm } from "../lib/api-key-form.server";
import { requireAuthedApi } from "../lib/authed-api.server";
import { formatIst } from "../lib/ist-time";
import { readPasswordForm } from "../lib/password-form.server";
import { fromNow } from "../lib/relative-time";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Account · AlgoDatta" }];

type Outcome = {
  intent: string;
  ok: boolean;
  message: string | null;
  fieldErrors: Record<string, string>;
  values?: Record<string, string>;
  // A new API key's secret: in this answer only (no-store), never in a loader
  created?: { secret: string; name: string };
};

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", AccountDocument, {});
  return data(
    {
      me: result.data?.me ?? null,
      sessions: result.data?.sessions ?? [],
      apiKeys: result.data?.apiKeys ?? [],
      failure: result.failure ?? null,
      now: new Date().toISOString(),
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const answer = async (outcome: Outcome) => {
    const headers = await api.headers();
    headers.set("Cache-Control", "no-store");
    return data(outcome, { status: outcome.ok ? 200 : 400, headers });
  };
  if (intent === "password") {
    const checked = readPasswordForm(form);
    if (!checked.ok) return answer({ intent, ok: false, message: null, fieldErrors: checked.fieldErrors });
    const result = await api.execute("mutation", ChangePasswordDocument, { input: checked.input });
    if (result.failure) {
      const onFields = Object.keys(result.failure.fieldErrors).length > 0;
      return answer({
        intent,
        ok: false,
        message: onFields ? null : result.failure.message,
        fieldErrors: result.failure.fieldErrors,
      });
    }
    // Every login ended at the API, this one included: carry on in the new one it issued
    api.replaceTokens(result.data.changePassword);
    return answer({
      intent,
      ok: true,
      message: "Password changed. Every other session was signed out.",
      fieldErrors: {},
    });
  }
  if (intent === "revoke") {
    const ids = form.getAll("id").map(String).slice(0, 100);
    const results = await Promise.all(ids.map((id) => api.execute("mutation", RevokeSessionDocument, { id })));
    const failed = results.find((r) => r.failure);
    if (failed?.failure) return answer({ intent, ok: false, message: failed.failure.message, fieldErrors: {} });
    return answer({
      intent,
      ok: true,
      message: ids.length === 1 ? "Session signed out." : `${ids.length} sessions signed out.`,
      fieldErrors: {},
    });
  }
  if (intent === "create-key") {
    const checked = readApiKeyForm(form);
    if (!checked.ok)
      return answer({ intent, ok: false, message: null, fieldErrors: checked.fieldErrors, values: checked.values });
    const result = await api.execute("mutation", CreateApiKeyDocument, { input: checked.input });
    if (result.failure) {
      const name = result.failure.fieldErrors.name;
      return answer({
        intent,
        ok: false,
        message: name ? null : result.failure.message,
        fieldErrors: name ? { name } : {},
        values: { name: checked.input.name },
      });
    }
    const { secret, apiKey } = result.data.createApiKey;
    return answer({ intent, ok: true, message: null, fieldErrors: {}, created: { secret, name: apiKey.name } });
  }
  if (intent === "revoke-key") {
    const result = await api.execute("mutation", RevokeApiKeyDocument, { id: String(form.get("id") ?? "") });
    if (result.failure) return answer({ intent, ok: false, message: result.failure.message, fieldErrors: {} });
    return answer({
      intent,
      ok: true,
      message: "API key revoked: requests with it are refused from now on.",
      fieldErrors: {},
    });
  }
  return answer({ intent, ok: false, message: "Unknown action.", fieldErrors: {} });
}

export default function AccountRoute() {
  const { me, sessions, apiKeys, failure, now } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const toast = useMemo(
    () => (outcome?.ok && outcome.message ? { tone: "success" as const, text: outcome.message } : null),
    [outcome],
  );
  const others = sessions.filter((s) => !s.current);
  const password = outcome?.intent === "password" ? outcome : null;
  return (
    <div className="stack">
      <h1>Account</h1>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      {outcome && !outcome.ok && outcome.message && outcome.intent !== "password" ? (
        <AlertBanner tone="error">{outcome.message}</AlertBanner>
      ) : null}
      <Toast message={toast} />
      <div className="detail-grid">
        {me ? (
          <section className="card" aria-labelledby="profile-title">
            <h2 id="profile-title">Profile</h2>
            <dl className="details">
              <dt>Email</dt>
              <dd data-testid="account-page-email">{me.email}</dd>
              <dt>Role</dt>
              <dd>
                <span className={me.role === "ADMIN" ? "badge badge-admin" : "badge"}>{me.role}</span>
              </dd>
              <dt>Status</dt>
              <dd>
                <span className={me.status === "ACTIVE" ? "badge badge-ok" : "badge badge-warn"}>{me.status}</span>
              </dd>
              <dt>Member since</dt>
              <dd>{formatIst(me.createdAt)}</dd>
            </dl>
          </section>
        ) : null}
        <section className="card stack" aria-labelledby="password-title">
          <h2 id="password-title">Change password</h2>
          {password?.message && !password.ok ? <AlertBanner tone="error">{password.message}</AlertBanner> : null}
          <Form method="post" className="stack form-narrow" noValidate key={password?.ok ? "done" : "form"}>
            <FormField label="Current password" name="currentPassword" error={password?.fieldErrors.currentPassword}>
              {(a11y) => <input {...a11y} name="currentPassword" type="password" autoComplete="current-password" />}
            </FormField>
            <FormField
              label="New password"
              name="newPassword"
              error={password?.fieldErrors.newPassword}
              hint="At least 8 characters."
            >
              {(a11y) => <input {...a11y} name="newPassword" type="password" autoComplete="new-password" />}
            </FormField>
            <FormField label="New password again" name="confirmPassword" error={password?.fieldErrors.confirmPassword}>
              {(a11y) => <input {...a11y} name="confirmPassword" type="password" autoComplete="new-password" />}
            </FormField>
            <p className="muted small">
              Changing it signs out every other browser and device; this one stays signed in.
            </p>
            <div>
              <button
                type="submit"
                name="intent"
                value="password"
                className="button button-primary"
                disabled={busy === "password"}
              >
                {busy === "password" ? "Changing…" : "Change password"}
              </button>
            </div>
          </Form>
        </section>
      </div>
      <ApiKeysPanel
        keys={apiKeys}
        created={outcome?.intent === "create-key" ? (outcome.created ?? null) : null}
        fieldErrors={outcome?.intent === "create-key" ? outcome.fieldErrors : {}}
        values={outcome?.intent === "create-key" && !outcome.ok ? (outcome.values ?? {}) : {}}
        now={now}
        busy={busy}
      />
      <section className="card stack" aria-labelledby="sessions-title">
        <div className="card-head">
          <h2 id="sessions-title">Signed-in sessions</h2>
          {others.length > 0 ? (
            <ConfirmAction
              label="Sign out all other sessions"
              confirmLabel="Yes, sign them out"
              intent="revoke"
              multi={{ id: others.map((s) => s.id) }}
              tone="danger"
              busy={busy === "revoke"}
            >
              {others.length === 1 ? "The other session" : `The ${others.length} other sessions`} must sign in again;
              this one stays signed in.
            </ConfirmAction>
          ) : null}
        </div>
        <div className="table-wrap">
          <table className="table table-cards" data-testid="session-table">
            <thead>
              <tr>
                <th scope="col">Signed in (IST)</th>
                <th scope="col">Last active</th>
                <th scope="col">Ends</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-session-id={s.id} data-current={s.current ? "true" : undefined}>
                  <td data-label="Signed in (IST)" className="card-title">
                    {formatIst(s.startedAt)} {s.current ? <span className="badge badge-info">This session</span> : null}
                  </td>
                  <td data-label="Last active">{fromNow(s.lastActiveAt, now)}</td>
                  <td data-label="Ends">{formatIst(s.expiresAt)}</td>
                  <td data-label="" className="card-wide">
                    {s.current ? (
                      <span className="muted small">Use Sign out to end it</span>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="id" value={s.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="revoke"
                          className="button button-small"
                          disabled={busy === "revoke"}
                        >
                          Revoke
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          A signed-out session can still finish pages it has open for up to the access token&apos;s lifetime (minutes).
        </p>
      </section>
    </div>
  );
}
