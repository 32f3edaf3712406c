import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
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

// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 1000;

export async function recordTriggerEvents(
  db: Kysely<Database>,
  accountId: number,
  events: readonly TriggerEvent[],
  now: number,
): Promise<void> {
  for (let i = 0; i < events.length; i += CHUNK) {
    const rows = events.slice(i, i + CHUNK).map((e) => ({
      account_id: accountId,
      contact_id: e.contactId,
      type: e.type,
      payload: JSON.stringify({ v: 1, ...payloadOf(e) }),
      created_at: now,
    }));
    await db.insertInto("trigger_events").values(rows).execute();
  }
}
