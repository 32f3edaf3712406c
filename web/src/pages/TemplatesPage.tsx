import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api } from "../api/client.ts";
import type { EmailTemplate } from "../api/email.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { FormField } from "../components/FormField.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { formatDateTime } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

/** A starting body that shows the template language and the unsubscribe link every email needs. */
const STARTER_HTML = `<p>Hi {{email}},</p>
<p>Thanks for signing up.</p>
<p style="font-size:12px;color:#555">Don't want these emails? <a href="{{unsubscribe_url}}">Unsubscribe</a>.</p>`;

export function TemplatesPage() {
  const navigate = useNavigate();
  const templates = useApi<EmailTemplate[]>("/api/email_templates");
  const [name, setName] = useState("");
  const [subject, setSubject] = useState("");
  const [category, setCategory] = useState("Automation");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<Error | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(null);
    try {
      const created = await api<EmailTemplate>("POST", "/api/email_templates", { email_template: { name, subject, category, body_html: STARTER_HTML } });
      navigate(`/templates/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) setErrors(err.fieldErrors);
      else setError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  const rows = templates.data;
  return (
    <>
      <PageHeader title="Templates" description="Emails that automations send. Bodies use Handlebars: {{merge_tag}} for a field, {{email}}, {{unsubscribe_url}}." />
      <form className="panel inline-form" onSubmit={create} aria-label="Create template">
        <FormField label="Template name" errors={errors["name"]}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Welcome" />
        </FormField>
        <FormField label="Subject" errors={errors["subject"]}>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} required placeholder="e.g. Welcome aboard, {{email}}" />
        </FormField>
        <FormField label="Category" errors={errors["category"]}>
          <input value={category} onChange={(e) => setCategory(e.target.value)} required />
        </FormField>
        <button type="submit" className="button-primary">
          Create template
        </button>
      </form>
      <ErrorNotice error={error ?? templates.error} />
      {templates.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No templates yet">
          <p>
            Create a template for your first email, for example a welcome message. You can preview it for a real contact and send yourself a test before an automation uses
            it.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Subject</th>
                <th scope="col">Category</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/templates/${t.id}`}>{t.name}</Link>
                  </td>
                  <td className="truncate">{t.subject}</td>
                  <td>{t.category}</td>
                  <td>{formatDateTime(t.updated_at)}</td>
                  <td className="row-actions">
                    <ConfirmButton label="Delete" ariaLabel={`Delete ${t.name}`} title={`Delete the template “${t.name}”?`} onConfirm={() => api("DELETE", `/api/email_templates/${t.id}`).then(templates.reload)}>
                      <p>Emails of automations that still use it will fail to render.</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
