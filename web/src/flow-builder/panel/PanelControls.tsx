import { cloneElement, type ReactElement, type ReactNode, useId } from "react";
import type { FieldDataType, FieldValue } from "../../../../src/core/contacts/field-value.ts";
import type { ContactField, ContactList } from "../../api/contacts.ts";
import { fromFieldValue, toFieldValue } from "../model/field-value-input.ts";

/**
 * A labelled control of the side panel. The label names the control by `for`/`id` rather
 * than by wrapping it, so its accessible name is exactly `label` (a wrapped select would
 * add its chosen option's text to it).
 */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: ReactElement<{ id?: string; "aria-describedby"?: string }>;
}) {
  const id = useId();
  return (
    <div className="fb-field">
      <label className="fb-field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, "aria-describedby": hint ? `${id}-hint` : undefined })}
      {hint ? (
        <span className="fb-field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function FieldPicker({
  label = "Field",
  fields,
  value,
  onChange,
}: {
  label?: string;
  fields: ContactField[];
  value: string | undefined;
  onChange: (mergeTag: string | undefined) => void;
}) {
  return (
    <Field label={label} hint={fields.length === 0 ? "No custom fields yet: add one on the Fields page." : undefined}>
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">Choose a field…</option>
        {fields.map((f) => (
          <option key={f.id} value={f.merge_tag}>
            {f.name} ({f.merge_tag}, {f.data_type})
          </option>
        ))}
        {value && !fields.some((f) => f.merge_tag === value) ? <option value={value}>{value} (missing)</option> : null}
      </select>
    </Field>
  );
}

/** A value typed for the field: a date picker, a number box, yes / no, or text. */
export function ValueInput({
  label = "Value",
  type,
  value,
  onChange,
}: {
  label?: string;
  type: FieldDataType | undefined;
  value: unknown;
  onChange: (v: FieldValue | undefined) => void;
}) {
  const text = fromFieldValue(value);
  if (type === "boolean") {
    return (
      <Field label={label}>
        <select value={text} onChange={(e) => onChange(toFieldValue(type, e.target.value))}>
          <option value="">Choose…</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </Field>
    );
  }
  const inputType = type === "date" ? "date" : type === "integer" || type === "float" ? "number" : "text";
  return (
    <Field label={label}>
      <input
        type={inputType}
        step={type === "float" ? "any" : undefined}
        value={text}
        onChange={(e) => onChange(toFieldValue(type, e.target.value))}
      />
    </Field>
  );
}

/** Checkboxes of the account's lists, in a fieldset named by `legend`. */
export function ListPicker({
  legend,
  lists,
  value,
  onChange,
}: {
  legend: string;
  lists: ContactList[];
  value: readonly number[] | undefined;
  onChange: (ids: number[]) => void;
}) {
  const chosen = new Set(value ?? []);
  const missing = [...chosen].filter((id) => !lists.some((l) => l.id === id));
  return (
    <fieldset className="fb-fieldset">
      <legend>{legend}</legend>
      {lists.length === 0 ? <p className="fb-field-hint">No lists yet: create one on the Lists page.</p> : null}
      {lists.map((l) => (
        <label key={l.id} className="fb-check">
          <input
            type="checkbox"
            checked={chosen.has(l.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, l.id] : [...chosen].filter((id) => id !== l.id))}
          />
          {l.name}
        </label>
      ))}
      {missing.map((id) => (
        <label key={id} className="fb-check">
          <input type="checkbox" checked onChange={() => onChange([...chosen].filter((x) => x !== id))} />
          List #{id} (deleted)
        </label>
      ))}
    </fieldset>
  );
}

export function NumberInput({
  label,
  value,
  min,
  onChange,
}: {
  label: string;
  value: number | undefined;
  min: number;
  onChange: (n: number | undefined) => void;
}) {
  return (
    <Field label={label}>
      <input
        type="number"
        min={min}
        step={1}
        value={value ?? ""}
        onChange={(e) => {
          const n = e.target.value === "" ? undefined : Number(e.target.value);
          onChange(n !== undefined && Number.isInteger(n) ? n : undefined);
        }}
      />
    </Field>
  );
}
