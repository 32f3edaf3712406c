import type { ContactField } from "../api/contacts.ts";
import { FormField } from "./FormField.tsx";

/** The input that suits a custom field's data type, labelled with the field's name. */
export function FieldInput({
  def,
  value,
  onChange,
  errors,
}: {
  def: ContactField;
  value: string;
  onChange: (value: string) => void;
  errors?: string[] | undefined;
}) {
  const label = `${def.name} (${def.data_type})`;
  if (def.data_type === "boolean") {
    return (
      <FormField label={label} errors={errors}>
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Not set</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      </FormField>
    );
  }
  const type = def.data_type === "date" ? "date" : def.data_type === "text" ? "text" : "number";
  return (
    <FormField label={label} errors={errors}>
      <input type={type} step={def.data_type === "float" ? "any" : undefined} value={value} onChange={(e) => onChange(e.target.value)} />
    </FormField>
  );
}
