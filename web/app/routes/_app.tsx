import { data, type LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { AlertBanner } from "../components/alert-banner";
import { AppHeader } from "../components/app-header";
import { PageProgress } from "../components/page-progress";
import { LayoutDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { redirectToLogin } from "../lib/session.server";

// Signed-in area: every child route sits under this header; no session -> /login.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", LayoutDocument, {});
  // `me` is refused (FORBIDDEN) only when an administrator disabled the account: the session is over
  if (result.failure?.code === "FORBIDDEN") throw await redirectToLogin(request, api.session, "disabled");
  return data(
    { me: result.data?.me ?? null, killSwitch: result.data?.killSwitch ?? false, failure: result.failure ?? null },
    { headers: await api.headers() },
  );
}

export default function AppLayout() {
  const { me, killSwitch, failure } = useLoaderData<typeof loader>();
  return (
    <div className="app-shell">
      <PageProgress />
      <AppHeader email={me?.email ?? ""} role={me?.role ?? "USER"} />
      <main className="app-main" id="main">
        {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
        {killSwitch ? (
          <AlertBanner tone="error">
            <strong>Trading is halted.</strong> An administrator turned the kill switch on: new alerts are rejected.
            Closing a position still works.
          </AlertBanner>
        ) : null}
        <Outlet />
      </main>
    </div>
  );
}

// A page's 403/404 keeps the header and navigation, so the way back is one click; anything else offers a retry.
export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const layout = useRouteLoaderData<typeof loader>("routes/_app");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail =
    isRouteErrorResponse(error) && typeof error.data === "string"
      ? error.data
      : "The page could not be shown. Please try again.";
  return (
    <div className="app-shell">
      <AppHeader email={layout?.me?.email ?? ""} role={layout?.me?.role ?? "USER"} />
      <main className="app-main" id="main">
        <h1>{status === 403 ? "Not allowed" : status === 404 ? "Not found" : "Something went wrong"}</h1>
        <AlertBanner tone="error">{detail}</AlertBanner>
        <p className="button-row">
          {status >= 500 ? (
            <a className="button button-primary" href={location.pathname + location.search}>
              Try again
            </a>
          ) : null}
          <Link to="/" className="button button-secondary">
            Back to Home
          </Link>
        </p>
      </main>
    </div>
  );
}
