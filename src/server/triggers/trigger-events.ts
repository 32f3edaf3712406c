import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { insertRows } from "../db/rows-relation.ts";
import type { TriggerEvent } from "../../core/contacts/contact-change.ts";

export type { TriggerEvent };

function payloadOf(e: TriggerEvent): Record<string, unknown> {
  switch (e.type) {
    case "contact_field_updated":
      return { field_id: e.fieldId, merge_tag: e.mergeTag, from: e.from, to: e.to };
    case "contact_added_to_list":
    case "contact_removed_from_list":
      return { list_id: e.listId };
    case "custom_event":
      return { event_id: e.eventId, name: e.name, params: e.params };
    default:
      return {};
  }
}

const TRIGGER_EVENT_COLUMNS = { account_id: "bigint", contact_id: "text", type: "text", payload: "text", created_at: "bigint" } as const;
// Null (queued for the dispatcher) when an active automation of the account listens to the type.
const DISPATCHED_AT =
  "case when v.type in (select trigger_type from automations where account_id = ? and status = 'active' and deleted_at is null) then null else v.created_at end";

/**
 * Records contact changes as trigger events: the dispatcher's queue and the contact's
 * history. A change no active automation of the account listens to (by trigger type) is
 * recorded as already dispatched: it is history only, and the dispatcher never reads or
 * rewrites it. An automation activated later does not see it either way (it happened
 * before the activation). Which types are listened to is decided by the insert itself: no
 * round trip of its own, and always what the transaction sees.
 */
export async function recordTriggerEvents(
  db: Kysely<Database>,
  accountId: number,
  events: readonly TriggerEvent[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({
    account_id: accountId,
    contact_id: e.contactId,
    type: e.type,
    payload: JSON.stringify({ v: 1, ...payloadOf(e) }),
    created_at: now,
  }));
  await insertRows(db, "trigger_events", TRIGGER_EVENT_COLUMNS, rows, {
    derived: { dispatched_at: { sql: DISPATCHED_AT, params: [accountId] } },
  });
}
