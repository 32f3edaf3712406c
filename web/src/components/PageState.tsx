import type { ReactNode } from "react";
import { Link } from "react-router";
import { ApiError } from "../api/client.ts";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

/** The server's own message; a 401 means the session ended, so it offers to sign in again. */
export function ErrorNotice({ error, title }: { error: Error | null | undefined; title?: string }) {
  if (!error) return null;
  const signedOut = error instanceof ApiError && error.status === 401;
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {signedOut ? (
        <>
          Your session has ended. <Link to="/login">Sign in again</Link>.
        </>
      ) : (
        error.message
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function PageHeader({ title, children, description }: { title: string; children?: ReactNode; description?: ReactNode }) {
  return (
    <header className="page-header">
      <title>{`${title} · Mailwright`}</title>
      <div>
        <h1>{title}</h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}
