import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { KillSwitchPanel } from "../components/kill-switch-panel";
import { Toast } from "../components/toast";
import { UserTable } from "../components/user-table";
import {
  AdminOverviewDocument,
  MeDocument,
  SetKillSwitchDocument,
  SetUserStatusDocument,
} from "../graphql/generated/graphql";
import { requireAuthedApi, type AuthedApi } from "../lib/authed-api.server";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Admin · AlgoDatta" }];

// The API enforces the role on every admin operation; this check only gives users a clear 403 page.
async function requireAdmin(request: Request): Promise<{ api: AuthedApi; meId: string }> {
  const api = await requireAuthedApi(request);
  const me = await api.execute("query", MeDocument, {});
  if (me.failure) throw new Response(me.failure.message, { status: 502 });
  if (me.data.me.role !== "ADMIN")
    throw new Response("This page is for administrators.", { status: 403, headers: await api.headers() });
  return { api, meId: me.data.me.id };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { api, meId } = await requireAdmin(request);
  const result = await api.execute("query", AdminOverviewDocument, {});
  return data(
    {
      meId,
      users: result.data?.users ?? [],
      killSwitch: result.data?.killSwitch ?? false,
      failure: result.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { api } = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  let failure = null;
  let message = "";
  if (intent === "kill-switch") {
    const enabled = form.get("enabled") === "true";
    const result = await api.execute("mutation", SetKillSwitchDocument, { enabled });
    failure = result.failure ?? null;
    message = enabled ? "Kill switch is ON: trading is halted." : "Kill switch is OFF: trading resumed.";
  } else if (intent === "user-status") {
    const status = form.get("status") === "DISABLED" ? "DISABLED" : "ACTIVE";
    const result = await api.execute("mutation", SetUserStatusDocument, { id: String(form.get("id") ?? ""), status });
    failure = result.failure ?? null;
    message = result.data ? `${result.data.setUserStatus.email} is now ${result.data.setUserStatus.status}.` : "";
  } else {
    return data({ ok: false, message: "Unknown action." }, { status: 400, headers: await api.headers() });
  }
  return data(failure ? { ok: false, message: failure.message } : { ok: true, message }, {
    status: failure ? 400 : 200,
    headers: await api.headers(),
  });
}

export default function AdminRoute() {
  const { meId, users, killSwitch, failure } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData : undefined;
  const toast = useMemo(() => (outcome?.ok ? { tone: "success" as const, text: outcome.message } : null), [outcome]);
  return (
    <div className="stack">
      <h1>Admin</h1>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      {outcome && !outcome.ok ? <AlertBanner tone="error">{outcome.message}</AlertBanner> : null}
      <Toast message={toast} />
      <KillSwitchPanel
        key={String(killSwitch)}
        enabled={killSwitch}
        busy={submitting?.get("intent") === "kill-switch"}
      />
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <UserTable
          users={users}
          currentUserId={meId}
          busyUserId={submitting?.get("intent") === "user-status" ? String(submitting.get("id")) : null}
        />
      </section>
    </div>
  );
}
