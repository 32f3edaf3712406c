import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import type { Contact, ContactField, ContactList } from "../api/contacts.ts";
import { fieldsFromForm } from "../lib/field-values.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";
import { FieldInput } from "./FieldInput.tsx";
import { AlertMessage } from "./AlertMessage.tsx";
import { FormField } from "./FormField.tsx";
import { ListCheckboxes } from "./ListCheckboxes.tsx";

/** Creates one contact (POST /api/contacts); a new contact fires `contact_created` automations. */
export function AddContactForm({
  fields,
  lists,
  onCreated,
  onCancel,
}: {
  fields: ContactField[];
  lists: ContactList[];
  onCreated: (c: Contact) => void;
  onCancel: () => void;
}) {
  const [email, setEmail] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [listIds, setListIds] = useState<number[]>([]);
  const form = useFormSubmit();
  const { errors, error, busy } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    void form.submit(async () => {
      const contact = { email, fields: fieldsFromForm(fields, values), list_ids: listIds };
      const { data } = await api<{ data: Contact }>("POST", "/api/contacts", { contact });
      onCreated(data);
    });
  }

  // Field problems come back keyed by merge tag, or as a whole under `fields`.
  return (
    <form className="panel form-grid" onSubmit={submit} aria-label="Add contact">
      <h2>Add contact</h2>
      <AlertMessage message={error?.message} />
      <FormField label="Email" errors={errors["email"]}>
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </FormField>
      {fields.map((def) => (
        <FieldInput
          key={def.id}
          def={def}
          value={values[def.merge_tag] ?? ""}
          errors={errors[def.merge_tag]}
          onChange={(v) => setValues((prev) => ({ ...prev, [def.merge_tag]: v }))}
        />
      ))}
      {errors["fields"] ? <p className="form-error">{errors["fields"].join(", ")}</p> : null}
      <ListCheckboxes legend="Lists" lists={lists} selected={listIds} onChange={setListIds} />
      {errors["list_ids"] ? <p className="form-error">{errors["list_ids"].join(", ")}</p> : null}
      {errors["base"] ? <p className="form-error">{errors["base"].join(", ")}</p> : null}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save contact
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
