import { type FormEvent, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, api } from "../api/client.ts";
import type { Contact, ContactField, ContactList } from "../api/contacts.ts";
import { ActivityTimeline } from "../components/ActivityTimeline.tsx";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { ContactMessages } from "../components/ContactMessages.tsx";
import { FieldInput } from "../components/FieldInput.tsx";
import { FormField } from "../components/FormField.tsx";
import { ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { bumpDataVersion } from "../lib/data-refresh.ts";
import { fieldsFromForm, fromFieldValue } from "../lib/field-values.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

type ContactChange = {
  fields?: Record<string, unknown>;
  list_ids_included?: number[];
  list_ids_excluded?: number[];
  unsubscribed?: boolean;
};

export function ContactDetailPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const contact = useApi<{ data: Contact }>(`/api/contacts/${encodeURIComponent(id)}`);
  const fields = useApi<ContactField[]>("/api/contacts/fields");
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  const [form, setForm] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [addListId, setAddListId] = useState("");
  const c = contact.data?.data;
  const listNames = new Map((lists.data ?? []).map((l) => [l.id, l.name]));
  const listName = (lid: unknown) => (typeof lid === "number" ? (listNames.get(lid) ?? `#${lid}`) : String(lid));

  // The form starts from the stored values, and again after every save or refresh.
  useEffect(() => {
    if (!c || !fields.data) return;
    setForm(Object.fromEntries(fields.data.map((f) => [f.merge_tag, fromFieldValue(c.fields[f.merge_tag])])));
  }, [c, fields.data]);

  /** Mailtrap's PATCH (upsert by identifier); the answer is the contact as it is now. */
  async function change(body: ContactChange, done: string) {
    if (!c) return;
    setError(null);
    setSaved(null);
    setFieldErrors({});
    try {
      const answer = await api<{ data: Contact }>("PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, ...body } });
      contact.setData({ data: answer.data });
      setSaved(done);
      // The change shows up in the activity at once (and any automation it triggered).
      bumpDataVersion();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) setFieldErrors(err.fieldErrors);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  function saveFields(e: FormEvent) {
    e.preventDefault();
    void change({ fields: fieldsFromForm(fields.data ?? [], form, true) }, "Fields saved.");
  }

  if (contact.error && !c) {
    return (
      <>
        <PageHeader title="Contact" />
        <ErrorNotice error={contact.error} />
        <p>
          <Link to="/contacts">Back to contacts</Link>
        </p>
      </>
    );
  }
  if (!c) return <Loading />;
  const notIn = (lists.data ?? []).filter((l) => !c.list_ids.includes(l.id));
  // The select shows the first list the contact is not in until the user picks another.
  const toAdd = notIn.some((l) => String(l.id) === addListId) ? addListId : String(notIn[0]?.id ?? "");

  return (
    <>
      <PageHeader
        title={c.email}
        description={
          <>
            Added {formatDateTime(c.created_at)} · updated {formatDateTime(c.updated_at)}
          </>
        }
      >
        <StatusBadge status={c.status} />
        {c.status === "subscribed" ? (
          <ConfirmButton
            label="Unsubscribe"
            title="Unsubscribe this contact?"
            danger={false}
            onConfirm={() => change({ unsubscribed: true }, "Unsubscribed.")}
          >
            <p>Automations stop emailing {c.email}; their emails are recorded as skipped.</p>
          </ConfirmButton>
        ) : (
          <button type="button" onClick={() => change({ unsubscribed: false }, "Subscribed again.")}>
            Resubscribe
          </button>
        )}
        <ConfirmButton
          label="Delete contact"
          title="Delete this contact?"
          onConfirm={async () => {
            await api("DELETE", `/api/contacts/${c.id}`);
            navigate("/contacts");
          }}
        >
          <p>
            Their runs end, their personal data is erased, and the address is kept only as a hash so it is never emailed again by accident.
          </p>
        </ConfirmButton>
      </PageHeader>
      <p>
        <Link to="/contacts">← All contacts</Link>
      </p>
      <ErrorNotice error={error} />
      {saved ? (
        <p className="notice notice-success" role="status">
          {saved}
        </p>
      ) : null}

      <div className="detail-grid">
        <div className="detail-column">
          <form className="panel" onSubmit={saveFields} aria-labelledby="fields-heading">
            <h2 id="fields-heading">Fields</h2>
            <ErrorNotice error={fields.error} />
            {fields.data && fields.data.length === 0 ? (
              <p className="muted">
                No custom fields yet. <Link to="/fields">Create a field</Link> such as “plan” to personalise emails and branch automations.
              </p>
            ) : null}
            {(fields.data ?? []).map((def) => (
              <FieldInput
                key={def.id}
                def={def}
                value={form[def.merge_tag] ?? ""}
                errors={fieldErrors[def.merge_tag]}
                onChange={(v) => setForm((prev) => ({ ...prev, [def.merge_tag]: v }))}
              />
            ))}
            {fields.data && fields.data.length > 0 ? (
              <button type="submit" className="button-primary">
                Save fields
              </button>
            ) : null}
          </form>

          <section className="panel" aria-labelledby="lists-heading">
            <h2 id="lists-heading">Lists</h2>
            {c.list_ids.length === 0 ? <p className="muted">Not in any list.</p> : null}
            <ul className="chip-list">
              {c.list_ids.map((lid) => (
                <li key={lid} className="chip">
                  {listName(lid)}
                  <button
                    type="button"
                    className="button-small"
                    aria-label={`Remove from ${listName(lid)}`}
                    onClick={() => change({ list_ids_excluded: [lid] }, `Removed from ${listName(lid)}.`)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            {notIn.length > 0 ? (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  const lid = Number(toAdd);
                  if (lid) void change({ list_ids_included: [lid] }, `Added to ${listName(lid)}.`);
                }}
              >
                <FormField label="Add to list">
                  <select value={toAdd} onChange={(e) => setAddListId(e.target.value)}>
                    {notIn.map((l) => (
                      <option key={l.id} value={l.id}>
                        {l.name}
                      </option>
                    ))}
                  </select>
                </FormField>
                <button type="submit">Add</button>
              </form>
            ) : lists.data && lists.data.length === 0 ? (
              <p className="muted">
                <Link to="/lists">Create a list</Link> to group contacts.
              </p>
            ) : null}
          </section>
          <ContactMessages contactId={c.id} />
        </div>
        <ActivityTimeline contactId={c.id} listName={listName} />
      </div>
    </>
  );
}
