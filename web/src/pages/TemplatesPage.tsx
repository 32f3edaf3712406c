import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../api/client.ts";
import type { EmailTemplate } from "../api/email.ts";
import { CreateForm } from "../components/CreateForm.tsx";
import { ACTIONS_COLUMN, DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { NamedRowActions } from "../components/NamedRowActions.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { formatDateTime } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";

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
  const { errors, error, submit } = useFormSubmit();

  const create = () =>
    submit(async () => {
      const created = await api<EmailTemplate>("POST", "/api/email_templates", {
        email_template: { name, subject, category, body_html: STARTER_HTML },
      });
      navigate(`/templates/${created.id}`);
    });

  const rows = templates.data;
  return (
    <>
      <PageHeader
        title="Templates"
        description="Emails that automations send. Bodies use Handlebars: {{merge_tag}} for a field, {{email}}, {{unsubscribe_url}}."
      />
      <CreateForm label="Create template" onSubmit={create}>
        <FormField label="Template name" errors={errors["name"]}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Welcome" />
        </FormField>
        <FormField label="Subject" errors={errors["subject"]}>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} required placeholder="e.g. Welcome aboard, {{email}}" />
        </FormField>
        <FormField label="Category" errors={errors["category"]}>
          <input value={category} onChange={(e) => setCategory(e.target.value)} required />
        </FormField>
      </CreateForm>
      <ErrorNotice error={error ?? templates.error} />
      {templates.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No templates yet">
          <p>
            Create a template for your first email, for example a welcome message. You can preview it for a real contact and send yourself a
            test before an automation uses it.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <DataTable caption="Templates" columns={["Name", "Subject", "Category", "Updated", ACTIONS_COLUMN]}>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                <Link to={`/templates/${t.id}`}>{t.name}</Link>
              </td>
              <td className="truncate">{t.subject}</td>
              <td>{t.category}</td>
              <td>{formatDateTime(t.updated_at)}</td>
              <NamedRowActions name={t.name} noun="template" path={`/api/email_templates/${t.id}`} onChange={templates.reload}>
                <p>Emails of automations that still use it will fail to render.</p>
              </NamedRowActions>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
