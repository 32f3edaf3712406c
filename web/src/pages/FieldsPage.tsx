import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import type { ContactField, DataType } from "../api/contacts.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { FormField } from "../components/FormField.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { RenameForm } from "../components/RenameForm.tsx";
import { useApi } from "../lib/use-api.ts";

const DATA_TYPES: DataType[] = ["text", "integer", "float", "boolean", "date"];

/** A merge tag from a name: letters, digits and `_`, as the API requires. */
function toMergeTag(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function FieldsPage() {
  const fields = useApi<ContactField[]>("/api/contacts/fields");
  const [name, setName] = useState("");
  const [dataType, setDataType] = useState<DataType>("text");
  const [mergeTag, setMergeTag] = useState("");
  const [tagEdited, setTagEdited] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<Error | null>(null);
  const tag = tagEdited ? mergeTag : toMergeTag(name);

  async function create(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(null);
    try {
      await api("POST", "/api/contacts/fields", { name, data_type: dataType, merge_tag: tag });
      setName("");
      setMergeTag("");
      setTagEdited(false);
      fields.reload();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) setErrors(err.fieldErrors);
      else setError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  const rows = fields.data;
  return (
    <>
      <PageHeader title="Fields" description="Custom contact data. Use a field in emails as {{merge_tag}} and in automation conditions." />
      <form className="panel inline-form" onSubmit={create} aria-label="Create field">
        <FormField label="Field name" errors={errors["name"]}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Plan" />
        </FormField>
        <FormField label="Data type" errors={errors["data_type"]}>
          <select value={dataType} onChange={(e) => setDataType(e.target.value as DataType)}>
            {DATA_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Merge tag" errors={errors["merge_tag"]}>
          <input
            value={tag}
            onChange={(e) => {
              setTagEdited(true);
              setMergeTag(e.target.value);
            }}
            required
            className="mono"
          />
        </FormField>
        <button type="submit" className="button-primary">
          Create field
        </button>
      </form>
      {errors["base"] ? <p className="form-error">{errors["base"].join(", ")}</p> : null}
      <ErrorNotice error={error ?? fields.error} />
      {fields.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No fields yet">
          <p>
            Create a field such as <strong>plan</strong> (text) or <strong>signup_date</strong> (date). Contacts then carry a value for it, emails can say{" "}
            <code>{"{{plan}}"}</code>, and conditions can branch on it. The data type cannot change later.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Fields</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Merge tag</th>
                <th scope="col">Data type</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>
                    <code>{`{{${f.merge_tag}}}`}</code>
                  </td>
                  <td>{f.data_type}</td>
                  <td className="row-actions">
                    <RenameForm current={f.name} label={`New name for ${f.name}`} onSave={(n) => api("PATCH", `/api/contacts/fields/${f.id}`, { name: n }).then(fields.reload)} />
                    <ConfirmButton label="Delete" ariaLabel={`Delete ${f.name}`} title={`Delete the field “${f.name}”?`} onConfirm={() => api("DELETE", `/api/contacts/fields/${f.id}`).then(fields.reload)}>
                      <p>Every contact's value for it is removed. A field that an automation uses cannot be deleted.</p>
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
