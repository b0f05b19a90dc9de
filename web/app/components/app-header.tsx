import { Form, NavLink } from "@remix-run/react";

type AppHeaderProps = { email: string; role: string };

const NAV_ITEMS = [
  { to: "/", label: "Home", end: true, adminOnly: false },
  { to: "/strategies", label: "Strategies", end: false, adminOnly: false },
  { to: "/executions", label: "Executions", end: false, adminOnly: false },
  { to: "/positions", label: "Positions", end: false, adminOnly: false },
  { to: "/dead-letters", label: "Dead letters", end: false, adminOnly: false },
  { to: "/admin", label: "Admin", end: false, adminOnly: true },
];

export function AppHeader({ email, role }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <span className="brand">AlgoDatta</span>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAV_ITEMS.filter((item) => !item.adminOnly || role === "ADMIN").map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} className={({ isActive }) => (isActive ? "nav-link active" : "nav-link")}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="account-email" data-testid="account-email">
            {email}
          </span>
          {role === "ADMIN" ? <span className="badge badge-admin">Admin</span> : null}
          <Form method="post" action="/logout">
            <button type="submit" className="button button-ghost">
              Sign out
            </button>
          </Form>
        </div>
      </div>
    </header>
  );
}
