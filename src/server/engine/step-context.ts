import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Effect } from "../../core/engine/advance.ts";
import { applyContactChange, type ContactChange, type ContactState, type TriggerEvent } from "../../core/contacts/contact-change.ts";
import type { FieldRow } from "../fields/fields-repo.ts";
import { type ContactWrite, readStates } from "../contacts/contacts-repo.ts";

type Db = Kysely<Database>;

/**
 * The contacts a batch of steps touches, loaded once: each action applies to the contact as
 * the previous one left it (two runs of one contact in one batch see each other), and all
 * of it is written back as one change per contact.
 */
export interface ContactLedger {
  current(contactId: string): ContactState | undefined;
  apply(contactId: string, effect: Exclude<Effect, { type: "send_email" }>): Promise<void>;
  writes(): ContactWrite[];
}

export async function loadLedger(db: Db, accountId: number, contactIds: string[], defs: FieldRow[]): Promise<ContactLedger> {
  // With each row's version as read, so the write back can check that no other transaction
  // (another batch in flight, an API write) changed the contact meanwhile.
  const read = await readStates(db, accountId, "id", [...new Set(contactIds)]);
  const versions = new Map(read.map((r) => [r.state.id, r.version]));
  const original = new Map(read.map((r) => [r.state.id, r.state]));
  const current = new Map(original);
  const events = new Map<string, TriggerEvent[]>();
  const rowChanged = new Set<string>();
  const tags = new Map(defs.map((d) => [d.id, d.merge_tag]));
  let accountLists: Set<number> | null = null;

  return {
    current: (id) => current.get(id),

    async apply(contactId, effect) {
      const before = current.get(contactId);
      if (!before) return;
      let change: ContactChange;
      if (effect.type === "update_field") {
        const def = defs.find((d) => d.merge_tag === effect.field);
        if (!def) return; // the field was deleted since the automation was activated
        change = { fields: new Map([[def.id, effect.value]]) };
      } else if (effect.type === "unsubscribe") {
        change = { unsubscribed: true };
      } else {
        accountLists ??= new Set((await db.selectFrom("lists").select("id").where("account_id", "=", accountId).execute()).map((l) => l.id));
        const ids = effect.listIds.filter((id) => accountLists!.has(id));
        change = effect.type === "add_to_lists" ? { listsIncluded: ids } : { listsExcluded: ids };
      }
      const applied = applyContactChange(before, null, change, tags);
      current.set(contactId, applied.after);
      if (applied.rowChanged) rowChanged.add(contactId);
      if (applied.events.length > 0) events.set(contactId, [...(events.get(contactId) ?? []), ...applied.events]);
    },

    writes() {
      const out: ContactWrite[] = [];
      for (const [id, evs] of events) {
        const before = original.get(id)!;
        const after = current.get(id)!;
        const had = new Set(before.listIds);
        const has = new Set(after.listIds);
        out.push({
          isNew: false,
          readVersion: versions.get(id),
          applied: {
            after,
            events: evs,
            added: after.listIds.filter((l) => !had.has(l)),
            removed: before.listIds.filter((l) => !has.has(l)),
            rowChanged: rowChanged.has(id),
          },
        });
      }
      return out;
    },
  };
}
