import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as appLoader } from "./_app";

export const meta: MetaFunction = () => [{ title: "Home · AlgoDatta" }];

// Who am I: the layout loader already fetched `me`, so Home reuses it instead of asking twice.
export default function HomeRoute() {
  const layout = useRouteLoaderData<typeof appLoader>("routes/_app");
  const me = layout?.me;
  if (!me) return null;
  return (
    <div className="stack">
      <h1>Welcome back</h1>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Your account</h2>
        <dl className="details">
          <dt>Email</dt>
          <dd data-testid="me-email">{me.email}</dd>
          <dt>Role</dt>
          <dd>
            <span className={me.role === "ADMIN" ? "badge badge-admin" : "badge"}>{me.role}</span>
          </dd>
          <dt>Status</dt>
          <dd>
            <span className={me.status === "ACTIVE" ? "badge badge-ok" : "badge badge-warn"}>{me.status}</span>
          </dd>
          <dt>User ID</dt>
          <dd className="mono">{me.id}</dd>
        </dl>
      </section>
      <section className="card">
        <h2>Next step</h2>
        <p>
          Create a strategy, deploy it to get its webhook, and paste the alert message into TradingView.{" "}
          <Link to="/strategies">Go to strategies</Link>, then watch orders arrive on <Link to="/executions">Executions</Link>.
        </p>
      </section>
    </div>
  );
}
