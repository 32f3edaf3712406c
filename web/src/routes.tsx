import { type LoaderFunctionArgs, Navigate, createBrowserRouter, redirect, useParams } from "react-router";
import { fetchSession } from "./api/session.ts";
import { safeNext } from "./lib/safe-next.ts";
import { Layout } from "./components/Layout.tsx";
import { AutomationEditor } from "./flow-builder/editor/AutomationEditor.tsx";
import { AutomationsPage } from "./pages/AutomationsPage.tsx";
import { ContactDetailPage } from "./pages/ContactDetailPage.tsx";
import { ContactsPage } from "./pages/ContactsPage.tsx";
import { FieldsPage } from "./pages/FieldsPage.tsx";
import { ImportPage } from "./pages/ImportPage.tsx";
import { ListsPage } from "./pages/ListsPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages/NotFoundPage.tsx";
import { OutboxPage } from "./pages/OutboxPage.tsx";
import { RunPage } from "./pages/RunPage.tsx";
import { SettingsPage } from "./pages/SettingsPage.tsx";
import { SetupPage } from "./pages/SetupPage.tsx";
import { TemplateEditorPage } from "./pages/TemplateEditorPage.tsx";
import { TemplatesPage } from "./pages/TemplatesPage.tsx";

/** The signed-in area: first start goes to /setup, a visitor without a session to /login. */
async function sessionLoader({ request }: LoaderFunctionArgs) {
  const session = await fetchSession();
  if (session.setup_required) throw redirect("/setup");
  if (!session.user) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

async function setupLoader() {
  const session = await fetchSession();
  if (!session.setup_required) throw redirect(session.user ? "/automations" : "/login");
  return session;
}

async function loginLoader({ request }: LoaderFunctionArgs) {
  const session = await fetchSession();
  if (session.setup_required) throw redirect("/setup");
  if (session.user) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return session;
}

function AutomationEditorRoute() {
  const { id = "" } = useParams();
  return <AutomationEditor key={id} automationId={id} />;
}

/** `/` is the automations page; the loader redirects, and the component says so too (a route without one renders an empty page and a warning). */
function ToAutomations() {
  return <Navigate to="/automations" replace />;
}

function Booting() {
  return (
    <p className="loading boot" role="status">
      Loading Mailwright…
    </p>
  );
}

export const router = createBrowserRouter([
  { path: "/setup", loader: setupLoader, Component: SetupPage, HydrateFallback: Booting, ErrorBoundary: RouteErrorPage },
  { path: "/login", loader: loginLoader, Component: LoginPage, HydrateFallback: Booting, ErrorBoundary: RouteErrorPage },
  {
    id: "root",
    path: "/",
    loader: sessionLoader,
    // The session is read once per visit; a session that ends later shows up as a 401 on a page.
    shouldRevalidate: () => false,
    Component: Layout,
    HydrateFallback: Booting,
    ErrorBoundary: RouteErrorPage,
    children: [
      { index: true, loader: () => redirect("/automations"), Component: ToAutomations },
      { path: "automations", Component: AutomationsPage },
      { path: "automations/:id", Component: AutomationEditorRoute },
      { path: "runs/:id", Component: RunPage },
      { path: "contacts", Component: ContactsPage },
      { path: "contacts/import", Component: ImportPage },
      { path: "contacts/:id", Component: ContactDetailPage },
      { path: "lists", Component: ListsPage },
      { path: "fields", Component: FieldsPage },
      { path: "templates", Component: TemplatesPage },
      { path: "templates/:id", Component: TemplateEditorPage },
      { path: "outbox", Component: OutboxPage },
      { path: "settings", Component: SettingsPage },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);
