import { Link, isRouteErrorResponse, useRouteError } from "react-router";
import { PageHeader } from "../components/PageState.tsx";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. Go to <Link to="/automations">Automations</Link>.
      </p>
    </>
  );
}

/** When a route's loader fails (the server is unreachable, say): the reason, and a way back. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <main className="auth-page">
      <title>Error · Mailwright</title>
      <div className="auth-card" role="alert">
        <h1>Something went wrong</h1>
        <p>{message}</p>
        <p>
          <a href="/automations">Reload the app</a>
        </p>
      </div>
    </main>
  );
}
