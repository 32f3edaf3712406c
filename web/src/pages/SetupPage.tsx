import { type FormEvent, useState } from "react";
import { useLoaderData, useNavigate } from "react-router";
import { createAdmin, type Session } from "../api/session.ts";
import { AlertMessage } from "../components/AlertMessage.tsx";
import { FormField } from "../components/FormField.tsx";
import { useFormSubmit } from "../lib/use-form-submit.ts";

/** First start: the server has no user yet, so whoever reaches it creates the admin. */
export function SetupPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [code, setCode] = useState("");
  const session = useLoaderData<Session | undefined>();
  const needsCode = session?.setup_code_required ?? false;
  const form = useFormSubmit();
  const { errors, error, busy } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    // The mismatch is caught here: the server never sees the confirmation.
    if (password !== confirm) {
      form.clear();
      form.setErrors({ confirm: ["does not match the password"] });
      return;
    }
    void form.submit(async () => {
      await createAdmin(email, password, needsCode ? code.trim() : undefined);
      navigate("/automations", { replace: true });
    });
  }

  return (
    <main className="auth-page">
      <title>Set up Mailwright</title>
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Welcome to Mailwright</h1>
        <p>Create the administrator account. You will use it to sign in to this server.</p>
        <AlertMessage message={error?.message} />
        <FormField label="Email" errors={errors["email"]}>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </FormField>
        <FormField label="Password" errors={errors["password"]} hint="At least 8 characters.">
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </FormField>
        <FormField label="Confirm password" errors={errors["confirm"]}>
          <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </FormField>
        {needsCode && (
          <FormField
            label="Setup code"
            errors={errors["setup_code"]}
            hint="This server is reachable beyond this machine, so setup needs the code it printed when it started (also in the setup-code file of its data folder)."
          >
            <input
              type="text"
              autoComplete="one-time-code"
              required
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </FormField>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          Create admin account
        </button>
      </form>
    </main>
  );
}
