import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import appStyles from "./styles/app.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: appStyles }];

export const meta: MetaFunction = () => [{ title: "AlgoDatta" }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
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
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>{title}</h1>
        {detail ? <p>{detail}</p> : <p>The page could not be shown. Please try again; if it keeps failing, the API may be down.</p>}
        <p className="button-row">
          <a className="button button-primary" href="">
            Try again
          </a>
          <a className="button button-secondary" href="/">
            Back to Home
          </a>
        </p>
      </section>
    </main>
  );
}
