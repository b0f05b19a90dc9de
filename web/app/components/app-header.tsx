import { Form, NavLink } from "@remix-run/react";

type AppHeaderProps = { email: string; role: string };

const NAV_ITEMS = [
  { to: "/", label: "Home", end: true },
  { to: "/strategies", label: "Strategies", end: false },
];

export function AppHeader({ email, role }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <span className="brand">AlgoDatta</span>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAV_ITEMS.map((item) => (
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
