import { useState } from "react";
import { api } from "../api/client.ts";
import type { ContactField, DataType } from "../api/contacts.ts";
import { CreateForm } from "../components/CreateForm.tsx";
import { ACTIONS_COLUMN, DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { NamedRowActions } from "../components/NamedRowActions.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { useApi } from "../lib/use-api.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";

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
  const { errors, error, submit } = useFormSubmit();
  const tag = tagEdited ? mergeTag : toMergeTag(name);

  const create = () =>
    submit(async () => {
      await api("POST", "/api/contacts/fields", { name, data_type: dataType, merge_tag: tag });
      setName("");
      setMergeTag("");
      setTagEdited(false);
      fields.reload();
    });

  const rows = fields.data;
  return (
    <>
      <PageHeader title="Fields" description="Custom contact data. Use a field in emails as {{merge_tag}} and in automation conditions." />
      <CreateForm label="Create field" onSubmit={create}>
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
      </CreateForm>
      {errors["base"] ? <p className="form-error">{errors["base"].join(", ")}</p> : null}
      <ErrorNotice error={error ?? fields.error} />
      {fields.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No fields yet">
          <p>
            Create a field such as <strong>plan</strong> (text) or <strong>signup_date</strong> (date). Contacts then carry a value for it,
            emails can say <code>{"{{plan}}"}</code>, and conditions can branch on it. The data type cannot change later.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <DataTable caption="Fields" columns={["Name", "Merge tag", "Data type", ACTIONS_COLUMN]}>
          {rows.map((f) => (
            <tr key={f.id}>
              <td>{f.name}</td>
              <td>
                <code>{`{{${f.merge_tag}}}`}</code>
              </td>
              <td>{f.data_type}</td>
              <NamedRowActions name={f.name} noun="field" path={`/api/contacts/fields/${f.id}`} rename onChange={fields.reload}>
                <p>Every contact's value for it is removed. A field that an automation uses cannot be deleted.</p>
              </NamedRowActions>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
