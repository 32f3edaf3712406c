import { lazy, Suspense } from "react";
import { type LoaderFunctionArgs, Navigate, createBrowserRouter, redirect, useParams } from "react-router";
import { fetchSession } from "./api/session.ts";
import { safeNext } from "./lib/safe-next.ts";
import { Layout } from "./components/Layout.tsx";
import { AutomationsPage } from "./pages/AutomationsPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages/NotFoundPage.tsx";
import { SetupPage } from "./pages/SetupPage.tsx";

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

// Loaded on demand: the builder, its canvas (React Flow) and its charts are most of the
// app's JavaScript, and no other page needs them. The other pages load with their route.
const AutomationEditor = lazy(() => import("./flow-builder/editor/AutomationEditor.tsx").then((m) => ({ default: m.AutomationEditor })));

function AutomationEditorRoute() {
  const { id = "" } = useParams();
  return (
    <Suspense fallback={<Booting />}>
      <AutomationEditor key={id} automationId={id} />
    </Suspense>
  );
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
      { path: "runs/:id", lazy: () => import("./pages/RunPage.tsx").then((m) => ({ Component: m.RunPage })) },
      { path: "contacts", lazy: () => import("./pages/ContactsPage.tsx").then((m) => ({ Component: m.ContactsPage })) },
      { path: "contacts/import", lazy: () => import("./pages/ImportPage.tsx").then((m) => ({ Component: m.ImportPage })) },
      { path: "contacts/:id", lazy: () => import("./pages/ContactDetailPage.tsx").then((m) => ({ Component: m.ContactDetailPage })) },
      { path: "lists", lazy: () => import("./pages/ListsPage.tsx").then((m) => ({ Component: m.ListsPage })) },
      { path: "fields", lazy: () => import("./pages/FieldsPage.tsx").then((m) => ({ Component: m.FieldsPage })) },
      { path: "templates", lazy: () => import("./pages/TemplatesPage.tsx").then((m) => ({ Component: m.TemplatesPage })) },
      { path: "templates/:id", lazy: () => import("./pages/TemplateEditorPage.tsx").then((m) => ({ Component: m.TemplateEditorPage })) },
      { path: "outbox", lazy: () => import("./pages/OutboxPage.tsx").then((m) => ({ Component: m.OutboxPage })) },
      { path: "settings", lazy: () => import("./pages/SettingsPage.tsx").then((m) => ({ Component: m.SettingsPage })) },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);
