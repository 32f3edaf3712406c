import { type FormEvent, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.ts";
import type { ContactPage } from "../api/contacts.ts";
import type { EmailTemplate } from "../api/email.ts";
import { FormField } from "../components/FormField.tsx";
import { ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { TemplatePreview } from "../components/TemplatePreview.tsx";
import { useApi } from "../lib/use-api.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";

type Draft = Pick<EmailTemplate, "name" | "subject" | "category" | "body_html" | "body_text">;

const draftOf = (t: EmailTemplate): Draft => ({
  name: t.name,
  subject: t.subject,
  category: t.category,
  body_html: t.body_html,
  body_text: t.body_text,
});
const same = (a: Draft, b: Draft) => (Object.keys(a) as (keyof Draft)[]).every((k) => a[k] === b[k]);

export function TemplateEditorPage() {
  const { id = "" } = useParams();
  const template = useApi<EmailTemplate>(`/api/email_templates/${encodeURIComponent(id)}`);
  const contacts = useApi<ContactPage>("/api/contacts?limit=100");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [contactId, setContactId] = useState("");
  const { errors, error, submit: run } = useFormSubmit();
  const [notice, setNotice] = useState<string | null>(null);
  const [testTo, setTestTo] = useState("");
  const [sending, setSending] = useState(false);
  const saved = template.data;

  useEffect(() => {
    if (saved) setDraft(draftOf(saved));
  }, [saved]);

  const dirty = Boolean(saved && draft && !same(draftOf(saved), draft));
  const edit = (key: keyof Draft) => (value: string) => setDraft((d) => (d ? { ...d, [key]: value } : d));

  async function save(): Promise<boolean> {
    if (!draft) return false;
    setNotice(null);
    return run(async () => {
      const answer = await api<EmailTemplate>("PATCH", `/api/email_templates/${id}`, { email_template: draft });
      template.setData(answer);
      setNotice("Template saved.");
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save();
  }

  /** A test sends the saved template, so unsaved edits are saved first: what was seen is what is sent. */
  async function sendTest(e: FormEvent) {
    e.preventDefault();
    setSending(true);
    try {
      if (dirty && !(await save())) return;
      await run(async () => {
        const answer = await api<{ data: { to: string } }>("POST", `/api/email_templates/${id}/test_send`, {
          to: testTo,
          ...(contactId ? { contact_id: contactId } : {}),
        });
        setNotice(`Test sent to ${answer.data.to}.`);
      });
    } finally {
      setSending(false);
    }
  }

  if (template.error && !saved) {
    return (
      <>
        <PageHeader title="Template" />
        <ErrorNotice error={template.error} />
        <Link to="/templates">Back to templates</Link>
      </>
    );
  }
  if (!saved || !draft) return <Loading />;

  return (
    <>
      <PageHeader title={`Template: ${saved.name}`} description={<Link to="/templates">← All templates</Link>}>
        {dirty ? <span className="badge badge-draft">Unsaved changes</span> : <span className="badge badge-active">Saved</span>}
        <button type="submit" form="template-form" className="button-primary" disabled={!dirty}>
          Save
        </button>
      </PageHeader>
      <ErrorNotice error={error} />
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
          {notice.startsWith("Test sent") ? (
            <>
              {" "}
              Captured emails appear in the <Link to="/outbox">Outbox</Link>.
            </>
          ) : null}
        </p>
      ) : null}
      {errors["base"] ? <p className="form-error">{errors["base"].join(", ")}</p> : null}
      <div className="editor-grid">
        <form id="template-form" className="panel" onSubmit={submit} aria-label="Template">
          <div className="form-row">
            <FormField label="Name" errors={errors["name"]}>
              <input value={draft.name} onChange={(e) => edit("name")(e.target.value)} required />
            </FormField>
            <FormField label="Category" errors={errors["category"]}>
              <input value={draft.category} onChange={(e) => edit("category")(e.target.value)} required />
            </FormField>
          </div>
          <FormField label="Subject" errors={errors["subject"]}>
            <input value={draft.subject} onChange={(e) => edit("subject")(e.target.value)} required />
          </FormField>
          <FormField
            label="HTML body"
            errors={errors["body_html"]}
            hint="Handlebars: {{merge_tag}}, {{email}}, {{event.params.x}}, {{unsubscribe_url}}. CSS in <style> is inlined when sent."
          >
            <textarea
              className="code"
              rows={16}
              value={draft.body_html}
              onChange={(e) => edit("body_html")(e.target.value)}
              spellCheck={false}
            />
          </FormField>
          <FormField label="Text body" errors={errors["body_text"]} hint="Leave empty to derive the text part from the HTML.">
            <textarea className="code" rows={6} value={draft.body_text} onChange={(e) => edit("body_text")(e.target.value)} />
          </FormField>
        </form>
        <div className="preview-column">
          <section className="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <FormField label="Preview as" hint="Rendered by the server exactly as this contact would receive it.">
              <select value={contactId} onChange={(e) => setContactId(e.target.value)}>
                <option value="">Sample values</option>
                {(contacts.data?.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.email}
                  </option>
                ))}
              </select>
            </FormField>
            <TemplatePreview templateId={id} draft={draft} contactId={contactId} />
          </section>
          <form className="panel inline-form" onSubmit={sendTest} aria-label="Send test">
            <FormField label="Send a test to" errors={errors["to"]}>
              <input type="email" required value={testTo} onChange={(e) => setTestTo(e.target.value)} placeholder="you@example.com" />
            </FormField>
            <button type="submit" disabled={sending}>
              {dirty ? "Save and send test" : "Send test"}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
