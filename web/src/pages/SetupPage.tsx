import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { createAdmin } from "../api/session.ts";
import { FormField } from "../components/FormField.tsx";

/** First start: the server has no user yet, so whoever reaches it creates the admin. */
export function SetupPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (password !== confirm) {
      setErrors({ confirm: ["does not match the password"] });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await createAdmin(email, password);
      navigate("/automations", { replace: true });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) setErrors(err.fieldErrors);
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <title>Set up Mailwright</title>
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Welcome to Mailwright</h1>
        <p>Create the administrator account. You will use it to sign in to this server.</p>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <FormField label="Email" errors={errors["email"]}>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormField>
        <FormField label="Password" errors={errors["password"]} hint="At least 8 characters.">
          <input type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormField>
        <FormField label="Confirm password" errors={errors["confirm"]}>
          <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </FormField>
        <button type="submit" className="button-primary" disabled={busy}>
          Create admin account
        </button>
      </form>
    </main>
  );
}
