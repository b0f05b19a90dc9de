import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import appStyles from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "stylesheet", href: appStyles },
];

export const meta: MetaFunction = () => [{ title: "AlgoDatta" }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en-IN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404
      ? "Page not found"
      : isRouteErrorResponse(error)
        ? `${error.status} ${error.statusText}`
        : "Something went wrong";
  const detail =
    status === 404
      ? "There is no page at this address. It may have moved, or the link is mistyped."
      : isRouteErrorResponse(error) && typeof error.data === "string"
        ? error.data
        : "The page could not be shown. Please try again; if it keeps failing, the API may be down.";
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>{title}</h1>
        <p>{detail}</p>
        <p className="button-row">
          {status >= 500 ? (
            <a className="button button-primary" href="">
              Try again
            </a>
          ) : null}
          <a className={status >= 500 ? "button button-secondary" : "button button-primary"} href="/">
            Back to Home
          </a>
        </p>
      </section>
    </main>
  );
}
