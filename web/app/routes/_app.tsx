import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { AlertBanner } from "../components/alert-banner";
import { AppHeader } from "../components/app-header";
import { LayoutDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";

// Signed-in area: every child route sits under this header; no session -> /login.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", LayoutDocument, {});
  return data(
    { me: result.data?.me ?? null, killSwitch: result.data?.killSwitch ?? false, failure: result.failure ?? null },
    { headers: await api.headers() },
  );
}

export default function AppLayout() {
  const { me, killSwitch, failure } = useLoaderData<typeof loader>();
  return (
    <div className="app-shell">
      <AppHeader email={me?.email ?? ""} role={me?.role ?? "USER"} />
      <main className="app-main">
        {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
        {killSwitch ? (
          <AlertBanner tone="error">
            <strong>Trading is halted.</strong> An administrator turned the kill switch on: new alerts are rejected.
          </AlertBanner>
        ) : null}
        <Outlet />
      </main>
    </div>
  );
}

// A page's 403/404 keeps the header and navigation, so the way back is one click.
export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData<typeof loader>("routes/_app");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "The page could not be shown. Please try again.";
  return (
    <div className="app-shell">
      <AppHeader email={layout?.me?.email ?? ""} role={layout?.me?.role ?? "USER"} />
      <main className="app-main">
        <h1>{status === 403 ? "Not allowed" : status === 404 ? "Not found" : "Something went wrong"}</h1>
        <AlertBanner tone="error">{detail}</AlertBanner>
        <p>
          <Link to="/">Back to the dashboard</Link>
        </p>
      </main>
    </div>
  );
}
