import { useState } from "react";
import { api } from "../api/client.ts";
import type { AccountSettings, ApiToken, CreatedToken } from "../api/settings.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { CopyBox } from "../components/CopyBox.tsx";
import { CreateForm } from "../components/CreateForm.tsx";
import { ACTIONS_COLUMN, DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";

/** The form shows only the name, so only a name error stays by the field; others are the form's error. */
const SHOWN = ["name"];

function TokensSection() {
  const tokens = useApi<{ data: ApiToken[] }>("/api/tokens");
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const { errors, error, submit } = useFormSubmit(SHOWN);

  const create = () =>
    submit(async () => {
      const answer = await api<{ data: CreatedToken }>("POST", "/api/tokens", { name });
      setCreated(answer.data);
      setName("");
      tokens.reload();
    });

  const rows = tokens.data?.data;
  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p>
        Tokens authorise the HTTP API (<code>Authorization: Bearer …</code> or <code>Api-Token: …</code>), e.g. for the Mailtrap SDKs,
        Zapier or your backend.
      </p>
      <CreateForm label="Create API token" submitLabel="Create token" className="inline-form" onSubmit={create}>
        <FormField label="Token name" errors={errors["name"]}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Backend" />
        </FormField>
      </CreateForm>
      {created ? (
        <div className="notice notice-warning token-once" role="status">
          <p>
            <strong>Copy the token “{created.name}” now.</strong> It is shown only once: the server keeps only a hash of it.
          </p>
          <CopyBox label="New API token" value={created.token} />
          <button type="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      ) : null}
      <ErrorNotice error={error ?? tokens.error} />
      {tokens.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <p className="muted">No tokens yet. Create one to call the API from a script or another service.</p>
      ) : null}
      {rows && rows.length > 0 ? (
        <DataTable caption="API tokens" columns={["Name", "Created", "Last used", "Status", ACTIONS_COLUMN]}>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{formatDateTime(t.created_at)}</td>
              <td>{formatDateTime(t.last_used_at)}</td>
              <td>{t.revoked_at ? `Revoked ${formatDateTime(t.revoked_at)}` : "Active"}</td>
              <td className="row-actions">
                {t.revoked_at ? null : (
                  <ConfirmButton
                    label="Revoke"
                    ariaLabel={`Revoke ${t.name}`}
                    title={`Revoke the token “${t.name}”?`}
                    onConfirm={() => api("DELETE", `/api/tokens/${t.id}`).then(tokens.reload)}
                  >
                    <p>It stops working at once. Anything that still uses it gets 401 errors.</p>
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function AccountSection() {
  const settings = useApi<{ data: AccountSettings }>("/api/settings");
  const s = settings.data?.data;
  if (settings.error) return <ErrorNotice error={settings.error} title="Settings" />;
  if (!s) return <Loading />;
  const unlimited = (n: number | null) => (n === null || n === 0 ? "unlimited" : formatNumber(n));
  return (
    <>
      <section className="panel" aria-labelledby="limits-heading">
        <h2 id="limits-heading">Limits</h2>
        <dl className="meta">
          <dt>Account</dt>
          <dd>{s.account_id}</dd>
          <dt>Automations</dt>
          <dd>at most {formatNumber(s.limits.max_automations)}</dd>
          <dt>Runs per month</dt>
          <dd>{unlimited(s.limits.monthly_runs)}</dd>
          <dt>API rate limit</dt>
          <dd>
            {s.limits.rate_limit_per_minute === null ? "unlimited" : `${formatNumber(s.limits.rate_limit_per_minute)} requests per minute`}
          </dd>
          <dt>Largest request body</dt>
          <dd>{formatNumber(s.limits.body_limit_bytes)} bytes</dd>
        </dl>
        <p className="muted">Limits are set by the server's MAILWRIGHT_* environment variables.</p>
      </section>
      <section className="panel" aria-labelledby="smtp-heading">
        <h2 id="smtp-heading">Email delivery</h2>
        {s.smtp.transport === "capture" ? (
          <p>
            <strong>Capture:</strong> emails are stored in the Outbox and never leave this machine. Set <code>MAILWRIGHT_SMTP_URL</code> to
            send through an SMTP relay.
          </p>
        ) : (
          <p>
            <strong>SMTP</strong> through {s.smtp.host ?? "the configured relay"}.
          </p>
        )}
        <dl className="meta">
          <dt>From</dt>
          <dd>{s.smtp.from ?? "—"}</dd>
          <dt>Public URL</dt>
          <dd>{s.public_url}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="clock-heading">
        <h2 id="clock-heading">Test clock</h2>
        {s.test_clock ? (
          <p>On: time is moved by hand with the control in the header, so delays of days pass in seconds. Never use it in production.</p>
        ) : (
          <p>Off: the engine follows real time. Start the server with MAILWRIGHT_TEST_CLOCK=1 to try sequences quickly.</p>
        )}
      </section>
    </>
  );
}

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <div className="settings-grid">
        <TokensSection />
        <div className="detail-column">
          <AccountSection />
        </div>
      </div>
    </>
  );
}
