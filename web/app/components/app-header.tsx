import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";

type AppHeaderProps = { email: string; role: string };

const NAV_ITEMS = [
  { to: "/", label: "Home", end: true, adminOnly: false },
  { to: "/strategies", label: "Strategies", end: false, adminOnly: false },
  { to: "/executions", label: "Executions", end: false, adminOnly: false },
  { to: "/positions", label: "Positions", end: false, adminOnly: false },
  { to: "/reports", label: "Reports", end: false, adminOnly: false },
  { to: "/broker", label: "Broker", end: false, adminOnly: false },
  { to: "/dead-letters", label: "Dead letters", end: false, adminOnly: false },
  { to: "/notifications", label: "Notifications", end: false, adminOnly: false },
  { to: "/admin", label: "Admin", end: false, adminOnly: true },
];

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? "nav-link active" : "nav-link");

// A bar at desktop widths; up to 1230 px the links fold behind a Menu button (closed again on every navigation).
export function AppHeader({ email, role }: AppHeaderProps) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname, location.search]);
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="app-header-inner">
        <Link to="/" className="brand">
          AlgoDatta
        </Link>
        <button
          type="button"
          className="button button-ghost nav-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((v) => !v)}
        >
          {open ? "Close menu" : "Menu"}
        </button>
        <div id="main-nav" className={open ? "nav-panel open" : "nav-panel"}>
          <nav aria-label="Main">
            <ul className="nav-list">
              {NAV_ITEMS.filter((item) => !item.adminOnly || role === "ADMIN").map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} className={navClass} onClick={() => setOpen(false)}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <NavLink
              to="/account"
              className={({ isActive }) => (isActive ? "account-link active" : "account-link")}
              title={`${email}: your account`}
              onClick={() => setOpen(false)}
            >
              <span data-testid="account-email">{email}</span>
            </NavLink>
            {role === "ADMIN" ? <span className="badge badge-admin">Admin</span> : null}
            <Form method="post" action="/logout">
              <button type="submit" className="button button-ghost">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </div>
    </header>
  );
}
