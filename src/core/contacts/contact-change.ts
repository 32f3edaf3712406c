import { type FieldValue, sameFieldValue } from "./field-value.ts";

/**
 * What happened to a contact, as the automation engine will see it. The server writes
 * these to its outbox in the same transaction as the change.
 */
export type TriggerEvent =
  | { type: "contact_created"; contactId: string }
  | { type: "contact_field_updated"; contactId: string; fieldId: number; mergeTag: string; from: FieldValue; to: FieldValue }
  | { type: "contact_added_to_list"; contactId: string; listId: number }
  | { type: "contact_removed_from_list"; contactId: string; listId: number }
  | { type: "custom_event"; contactId: string; eventId: number; name: string; params: Record<string, unknown> }
  | { type: "contact_subscribed"; contactId: string }
  | { type: "contact_unsubscribed"; contactId: string }
  | { type: "contact_deleted"; contactId: string };

export type ContactStatus = "subscribed" | "unsubscribed";

export interface ContactState {
  id: string;
  email: string;
  status: ContactStatus;
  /** Values keyed by field id. */
  fields: Record<string, FieldValue>;
  listIds: number[];
}

export interface ContactChange {
  email?: string;
  /** New values keyed by field id; other fields keep theirs (a merge). */
  fields?: ReadonlyMap<number, FieldValue>;
  listsIncluded?: readonly number[];
  listsExcluded?: readonly number[];
  unsubscribed?: boolean;
}

export interface AppliedChange {
  after: ContactState;
  events: TriggerEvent[];
  added: number[];
  removed: number[];
  /** Whether the contact row itself (email, status, fields) changed. */
  rowChanged: boolean;
}

/**
 * Applies a change to a contact (or creates one when `before` is null) and lists the
 * trigger events it implies: only what really changed produces an event, so setting a
 * field to its current value or adding to a list the contact is in fires nothing.
 */
export function applyContactChange(
  before: ContactState | null,
  created: { id: string; email: string; status: ContactStatus } | null,
  change: ContactChange,
  mergeTags: ReadonlyMap<number, string>,
): AppliedChange {
  const base: ContactState = before ?? { id: created!.id, email: created!.email, status: created!.status, fields: {}, listIds: [] };
  const id = base.id;
  const events: TriggerEvent[] = before ? [] : [{ type: "contact_created", contactId: id }];
  const fields = { ...base.fields };
  let rowChanged = before === null;

  for (const [fieldId, value] of change.fields ?? []) {
    const key = String(fieldId);
    const from = fields[key] ?? null;
    if (sameFieldValue(from, value)) continue;
    if (value === null) delete fields[key];
    else fields[key] = value;
    rowChanged = true;
    if (before)
      events.push({ type: "contact_field_updated", contactId: id, fieldId, mergeTag: mergeTags.get(fieldId) ?? key, from, to: value });
  }

  let status = base.status;
  if (change.unsubscribed !== undefined) {
    const next: ContactStatus = change.unsubscribed ? "unsubscribed" : "subscribed";
    if (next !== status) {
      status = next;
      rowChanged = true;
      if (before) events.push({ type: next === "unsubscribed" ? "contact_unsubscribed" : "contact_subscribed", contactId: id });
    }
  }

  let email = base.email;
  if (change.email !== undefined && change.email !== email) {
    email = change.email;
    rowChanged = true;
  }

  const lists = new Set(base.listIds);
  const added: number[] = [];
  const removed: number[] = [];
  for (const listId of change.listsIncluded ?? []) {
    if (lists.has(listId)) continue;
    lists.add(listId);
    added.push(listId);
    events.push({ type: "contact_added_to_list", contactId: id, listId });
  }
  for (const listId of change.listsExcluded ?? []) {
    if (!lists.has(listId)) continue;
    lists.delete(listId);
    removed.push(listId);
    events.push({ type: "contact_removed_from_list", contactId: id, listId });
  }

  return {
    after: { id, email, status, fields, listIds: [...lists].sort((a, b) => a - b) },
    events,
    added,
    removed,
    rowChanged,
  };
}

/**
 * Two changes applied one after the other to a contact (`then` computed from `first.after`)
 * as one write: the state `then` left, every event of both in order, and the memberships
 * that differ from `before` (null: the contact is new in this write). A list joined by the
 * first and left by the second is neither added nor removed, though both events stay.
 */
export function foldChanges(before: ContactState | null, first: AppliedChange, then: AppliedChange): AppliedChange {
  const had = new Set(before?.listIds ?? []);
  const has = new Set(then.after.listIds);
  return {
    after: then.after,
    events: [...first.events, ...then.events],
    added: then.after.listIds.filter((l) => !had.has(l)),
    removed: (before?.listIds ?? []).filter((l) => !has.has(l)),
    rowChanged: first.rowChanged || then.rowChanged,
  };
}
