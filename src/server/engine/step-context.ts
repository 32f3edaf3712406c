import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Effect } from "../../core/engine/advance.ts";
import type { ContactChange, ContactState } from "../../core/contacts/contact-change.ts";
import type { FieldRow } from "../fields/fields-repo.ts";
import type { ContactWrite } from "../contacts/contacts-repo.ts";
import { readContacts } from "../contacts/contact-writer.ts";
import { accountListIds } from "./engine-repo.ts";

type Db = Kysely<Database>;

/**
 * The contacts a batch of steps touches, read once by the contact writer: each action
 * applies to the contact as the previous one left it (two runs of one contact in one batch
 * see each other), and all of it is written back as one change per contact, only over the
 * version read (a contact changed meanwhile rolls the batch back: ContactChangedMeanwhile).
 */
export interface ContactLedger {
  current(contactId: string): ContactState | undefined;
  apply(contactId: string, effect: Exclude<Effect, { type: "send_email" }>): Promise<void>;
  writes(): ContactWrite[];
  persist(now: number): Promise<void>;
}

export async function loadLedger(db: Db, accountId: number, contactIds: string[], defs: FieldRow[]): Promise<ContactLedger> {
  const batch = await readContacts(db, accountId, { ids: contactIds }, new Map(defs.map((d) => [d.id, d.merge_tag])));
  let accountLists: Set<number> | null = null;

  return {
    current: (id) => batch.current(id),

    async apply(contactId, effect) {
      if (!batch.current(contactId)) return;
      let change: ContactChange;
      if (effect.type === "update_field") {
        const def = defs.find((d) => d.merge_tag === effect.field);
        if (!def) return; // the field was deleted since the automation was activated
        change = { fields: new Map([[def.id, effect.value]]) };
      } else if (effect.type === "unsubscribe") {
        change = { unsubscribed: true };
      } else {
        accountLists ??= new Set(await accountListIds(db, accountId));
        const ids = effect.listIds.filter((id) => accountLists!.has(id));
        change = effect.type === "add_to_lists" ? { listsIncluded: ids } : { listsExcluded: ids };
      }
      batch.change(contactId, change);
    },

    writes: () => batch.writes(),
    persist: (now) => batch.persist(now),
  };
}
