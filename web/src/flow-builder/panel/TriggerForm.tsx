import { type Definition, TRIGGER_TYPES, type Trigger } from "../../../../src/core/flow/schema.ts";
import { Field, FieldPicker, ListPicker, NumberInput, ValueInput } from "./PanelControls.tsx";
import { TRIGGER_LABELS } from "../model/step-kinds.ts";
import type { CatalogData } from "../editor/use-catalog.ts";

/** The trigger, its params, and the re-entry window (how soon a contact may enter again). */
export function TriggerForm({
  definition,
  catalog,
  onChange,
}: {
  definition: Definition;
  catalog: CatalogData;
  onChange: (def: Definition) => void;
}) {
  const trigger = definition.trigger;
  const set = (t: Trigger) => onChange({ ...definition, trigger: t });
  const fieldType = catalog.fields.find((f) => f.merge_tag === trigger.field)?.data_type;
  return (
    <>
      <Field label="Trigger">
        <select value={trigger.type} onChange={(e) => set({ type: e.target.value as Trigger["type"] })}>
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {TRIGGER_LABELS[t]}
            </option>
          ))}
        </select>
      </Field>
      {trigger.type === "contact_field_updated" ? (
        <>
          <FieldPicker
            fields={catalog.fields}
            value={trigger.field}
            onChange={(field) => set({ type: trigger.type, ...(field ? { field } : {}) })}
          />
          <ValueInput
            label="Changed to (optional)"
            type={fieldType}
            value={trigger.to}
            onChange={(to) =>
              set({ type: trigger.type, ...(trigger.field ? { field: trigger.field } : {}), ...(to === undefined ? {} : { to }) })
            }
          />
        </>
      ) : null}
      {trigger.type === "contact_added_to_list" || trigger.type === "contact_removed_from_list" ? (
        <ListPicker
          legend="Lists"
          lists={catalog.lists}
          value={trigger.list_ids}
          onChange={(list_ids) => set({ type: trigger.type, list_ids })}
        />
      ) : null}
      {trigger.type === "custom_event" ? (
        <Field label="Event name" hint="Exact, case-sensitive: the name sent to POST /api/contacts/{id}/events">
          <input type="text" value={trigger.event ?? ""} onChange={(e) => set({ type: trigger.type, event: e.target.value })} />
        </Field>
      ) : null}
      <NumberInput
        label="Re-entry after (hours)"
        min={0}
        value={definition.settings?.reentry_hours ?? 24}
        onChange={(reentry_hours) =>
          onChange({ ...definition, settings: { ...definition.settings, ...(reentry_hours === undefined ? {} : { reentry_hours }) } })
        }
      />
      <p className="fb-field-hint">A contact who entered less than this many hours ago is not enrolled again (0: always).</p>
    </>
  );
}
