import { NavLink, Outlet, useRouteLoaderData } from "react-router";
import type { Session } from "../api/session.ts";
import { TestClockControl } from "./TestClockControl.tsx";
import { UserMenu } from "./UserMenu.tsx";

const NAV = [
  { to: "/automations", label: "Automations" },
  { to: "/contacts", label: "Contacts" },
  { to: "/lists", label: "Lists" },
  { to: "/fields", label: "Fields" },
  { to: "/templates", label: "Templates" },
  { to: "/outbox", label: "Outbox" },
  { to: "/settings", label: "Settings" },
];

/** The signed-in frame: header (test clock, user menu), left navigation, the page. */
export function Layout() {
  const session = useRouteLoaderData("root") as Session;
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Mailwright</span>
        {session.test_clock ? <TestClockControl /> : null}
        {session.user ? <UserMenu email={session.user.email} accountId={session.account_id} /> : null}
      </header>
      <nav className="app-nav" aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
