import { useState } from "react";
import { useNavigate } from "react-router";
import { signOut } from "../api/session.ts";

/** The signed-in user's menu: a disclosure (keyboard-usable without script) with Log out. */
export function UserMenu({ email, accountId }: { email: string; accountId: number | null }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  async function logout() {
    try {
      await signOut();
      navigate("/login", { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <details className="user-menu">
      <summary aria-label={`Account menu for ${email}`}>{email}</summary>
      <div className="user-menu-panel">
        {accountId !== null ? <p className="muted">Account {accountId}</p> : null}
        <button type="button" onClick={logout}>
          Log out
        </button>
        {error ? <p role="alert">{error}</p> : null}
      </div>
    </details>
  );
}
