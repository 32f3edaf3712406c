import { type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { signIn } from "../api/session.ts";
import { AlertMessage } from "../components/AlertMessage.tsx";
import { FormField } from "../components/FormField.tsx";
import { safeNext } from "../lib/safe-next.ts";

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      navigate(safeNext(params.get("next")), { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <title>Sign in · Mailwright</title>
      <form className="auth-card" onSubmit={submit}>
        <h1>Sign in to Mailwright</h1>
        <AlertMessage message={error} />
        <FormField label="Email">
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormField>
        <FormField label="Password">
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormField>
        <button type="submit" className="button-primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
