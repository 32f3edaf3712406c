import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { insertRows } from "../db/rows-relation.ts";
import { fixedQuery } from "../db/fixed-query.ts";
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

const activeTriggerTypes = fixedQuery<{ trigger_type: string }>("select distinct trigger_type from automations where account_id = ? and status = 'active' and deleted_at is null");
// Per transaction (the object Kysely hands to the work): the writes grouped into one
// SQLite transaction ask once per account. Nothing else writes while a transaction holds
// SQLite's one connection, and a PostgreSQL transaction is one write.
const listeningIn = new WeakMap<object, Map<number, Set<string>>>();

/** Trigger types some active automation of the account listens to. */
async function listeningTypes(db: Kysely<Database>, accountId: number): Promise<Set<string>> {
  const byAccount = db.isTransaction ? (listeningIn.get(db) ?? new Map<number, Set<string>>()) : null;
  let types = byAccount?.get(accountId);
  if (types) return types;
  types = new Set((await activeTriggerTypes(db, [accountId])).map((a) => a.trigger_type));
  if (byAccount) listeningIn.set(db, byAccount.set(accountId, types));
  return types;
}

/**
 * Records contact changes as trigger events: the dispatcher's queue and the contact's
 * history. A change no active automation of the account listens to (by trigger type) is
 * recorded as already dispatched: it is history only, and the dispatcher never reads or
 * rewrites it. An automation activated later does not see it either way (it happened
 * before the activation).
 */
export async function recordTriggerEvents(
  db: Kysely<Database>,
  accountId: number,
  events: readonly TriggerEvent[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  const listening = await listeningTypes(db, accountId);
  const rows = events.map((e) => ({
    account_id: accountId,
    contact_id: e.contactId,
    type: e.type,
    payload: JSON.stringify({ v: 1, ...payloadOf(e) }),
    created_at: now,
    dispatched_at: listening.has(e.type) ? null : now,
  }));
  await insertRows(db, "trigger_events", { account_id: "bigint", contact_id: "text", type: "text", payload: "text", created_at: "bigint", dispatched_at: "bigint" }, rows);
}
