import { parseFieldValue, type FieldDataType } from "../contacts/field-value.ts";
import type { Trigger } from "../flow/schema.ts";

/** A trigger event as the dispatcher reads it from the outbox. */
export interface TriggerEventView {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Does this event start this trigger? Custom events match their name exactly
 * (case-sensitive); a field trigger with `to` matches only the change to that value (text
 * case-insensitively, as conditions compare it).
 */
export function triggerMatches(trigger: Trigger, event: TriggerEventView, fieldType?: FieldDataType): boolean {
  if (trigger.type !== event.type) return false;
  const p = event.payload;
  switch (trigger.type) {
    case "contact_created":
      return true;
    case "contact_field_updated": {
      if (p["merge_tag"] !== trigger.field) return false;
      if (trigger.to === undefined) return true;
      if (trigger.to === null) return p["to"] === null;
      const wanted = fieldType ? parseFieldValue(fieldType, trigger.to) : { ok: true as const, value: trigger.to };
      if (!wanted.ok) return false;
      // Text compares case-insensitively, as conditions do: "changed to Pro" matches "pro".
      const to = p["to"];
      if (typeof wanted.value === "string" && typeof to === "string") return wanted.value.toLowerCase() === to.toLowerCase();
      return wanted.value === to;
    }
    case "contact_added_to_list":
    case "contact_removed_from_list":
      return (trigger.list_ids ?? []).includes(Number(p["list_id"]));
    case "custom_event":
      return typeof trigger.event === "string" && p["name"] === trigger.event;
  }
}

/** What a run carries from its trigger for conditions (`event.params.x`) and templates. */
export function runContext(event: TriggerEventView): { event: { name: string; params: Record<string, unknown> } } {
  const p = event.payload;
  if (event.type === "custom_event") return { event: { name: String(p["name"]), params: (p["params"] as Record<string, unknown>) ?? {} } };
  const { v: _v, ...params } = p;
  return { event: { name: event.type, params } };
}
