import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AlertBanner } from "../components/alert-banner";
import { AppHeader } from "../components/app-header";
import { MeDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";

// Signed-in area: every child route sits under this header; no session -> /login.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", MeDocument, {});
  return data({ me: result.data?.me ?? null, failure: result.failure ?? null }, { headers: await api.headers() });
}

export default function AppLayout() {
  const { me, failure } = useLoaderData<typeof loader>();
  return (
    <div className="app-shell">
      <AppHeader email={me?.email ?? ""} role={me?.role ?? "USER"} />
      <main className="app-main">
        {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
        <Outlet />
      </main>
    </div>
  );
}
