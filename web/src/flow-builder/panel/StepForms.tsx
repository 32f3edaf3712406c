import { useState } from "react";
import { Link } from "react-router";
import { DELAY_UNITS, type DelayUnit, type EmailConfig, type StepOf, type StepType } from "../../../../src/core/flow/schema.ts";
import type { CatalogData } from "../editor/use-catalog.ts";
import { InlineEmailPreview } from "./InlineEmailPreview.tsx";
import { Field, FieldPicker, ListPicker, NumberInput, ValueInput } from "./PanelControls.tsx";

/** The settings form of a step of type `K` (each form edits its own member of the step union). */
export interface StepFormProps<K extends StepType> {
  step: StepOf<K>;
  catalog: CatalogData;
  onChange: (step: StepOf<K>) => void;
}

/** Drops keys whose value is undefined or "", so the stored email holds only what was set. */
function compact(email: EmailConfig): EmailConfig {
  return Object.fromEntries(Object.entries(email).filter(([, v]) => v !== undefined && v !== "")) as EmailConfig;
}

export function SendEmailForm({ step, catalog, onChange }: StepFormProps<"send_email">) {
  const email = step.email ?? {};
  const [inline, setInline] = useState(email.template_id === undefined && Boolean(email.subject || email.html || email.text));
  const set = (patch: Partial<EmailConfig>) => onChange({ ...step, email: compact({ ...email, ...patch }) });
  const choice = email.template_id !== undefined ? String(email.template_id) : inline ? "inline" : "";
  return (
    <>
      <Field
        label="Email"
        hint={email.template_id !== undefined ? <Link to={`/templates/${email.template_id}`}>Open the template</Link> : undefined}
      >
        <select
          value={choice}
          onChange={(e) => {
            const v = e.target.value;
            setInline(v === "inline");
            if (v === "inline" || v === "") set({ template_id: undefined });
            else set({ template_id: Number(v), subject: undefined, html: undefined, text: undefined });
          }}
        >
          <option value="">Choose a template…</option>
          {catalog.templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
          {email.template_id !== undefined && !catalog.templates.some((t) => t.id === email.template_id) ? (
            <option value={email.template_id}>Template #{email.template_id} (missing)</option>
          ) : null}
          <option value="inline">Write the email here…</option>
        </select>
      </Field>
      {choice === "inline" ? (
        <>
          <Field label="Subject">
            <input type="text" value={email.subject ?? ""} onChange={(e) => set({ subject: e.target.value })} />
          </Field>
          <Field label="Text body" hint="Handlebars: {{email}}, {{your_merge_tag}}, {{unsubscribe_url}}">
            <textarea rows={5} value={email.text ?? ""} onChange={(e) => set({ text: e.target.value })} />
          </Field>
          <Field label="HTML body (optional)">
            <textarea rows={5} className="code" value={email.html ?? ""} onChange={(e) => set({ html: e.target.value })} />
          </Field>
          <InlineEmailPreview email={email} />
        </>
      ) : null}
      <details className="fb-details">
        <summary>Sender and preheader</summary>
        <Field label="From email">
          <input type="email" value={email.from_email ?? ""} onChange={(e) => set({ from_email: e.target.value })} />
        </Field>
        <Field label="From name">
          <input type="text" value={email.from_name ?? ""} onChange={(e) => set({ from_name: e.target.value })} />
        </Field>
        <Field label="Reply-to">
          <input type="email" value={email.reply_to ?? ""} onChange={(e) => set({ reply_to: e.target.value })} />
        </Field>
        <Field label="Preheader">
          <input type="text" value={email.preheader ?? ""} onChange={(e) => set({ preheader: e.target.value })} />
        </Field>
      </details>
    </>
  );
}

export function UpdateFieldForm({ step, catalog, onChange }: StepFormProps<"update_field">) {
  const type = catalog.fields.find((f) => f.merge_tag === step.field)?.data_type;
  const clearing = step.value === null;
  return (
    <>
      <FieldPicker fields={catalog.fields} value={step.field} onChange={(field) => onChange({ ...step, field, value: undefined })} />
      <label className="fb-check">
        <input type="checkbox" checked={clearing} onChange={(e) => onChange({ ...step, value: e.target.checked ? null : undefined })} />
        Clear the field (no value)
      </label>
      {clearing ? null : <ValueInput label="New value" type={type} value={step.value} onChange={(value) => onChange({ ...step, value })} />}
    </>
  );
}

export function ListsForm({ step, catalog, onChange }: StepFormProps<"add_to_lists" | "remove_from_lists">) {
  return (
    <ListPicker
      legend={step.type === "add_to_lists" ? "Add the contact to" : "Remove the contact from"}
      lists={catalog.lists}
      value={step.list_ids}
      onChange={(list_ids) => onChange({ ...step, list_ids })}
    />
  );
}

export function DelayForm({ step, onChange }: StepFormProps<"delay">) {
  return (
    <div className="fb-row">
      <NumberInput label="Wait" min={1} value={step.amount} onChange={(amount) => onChange({ ...step, amount })} />
      <Field label="Unit">
        <select
          value={step.unit ?? ""}
          onChange={(e) => onChange({ ...step, unit: (e.target.value || undefined) as DelayUnit | undefined })}
        >
          <option value="">Choose…</option>
          {DELAY_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

export function UnsubscribeForm() {
  return <p className="fb-field-hint">Marks the contact unsubscribed: later emails to them, from any automation, are skipped.</p>;
}
