import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { ClaimedRun } from "../db/claim.ts";
import type { Definition } from "../../core/flow/schema.ts";
import type { Effect } from "../../core/engine/advance.ts";
import { type ConditionContext, eventCountKey } from "../../core/engine/evaluate-condition.ts";
import type { ContactChange, ContactState } from "../../core/contacts/contact-change.ts";
import type { FieldRow } from "../fields/fields-repo.ts";
import type { ContactWrite } from "../contacts/contacts-repo.ts";
import { readContacts } from "../contacts/contact-writer.ts";

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
        accountLists ??= new Set((await db.selectFrom("lists").select("id").where("account_id", "=", accountId).execute()).map((l) => l.id));
        const ids = effect.listIds.filter((id) => accountLists!.has(id));
        change = effect.type === "add_to_lists" ? { listsIncluded: ids } : { listsExcluded: ids };
      }
      batch.change(contactId, change);
    },

    writes: () => batch.writes(),
    persist: (now) => batch.persist(now),
  };
}

/** Facts a condition step needs beyond the contact: event counts and this run's email engagement. */
export async function conditionFacts(db: Db, run: ClaimedRun, def: Definition, now: number): Promise<Pick<ConditionContext, "eventCounts" | "engagement">> {
  const step = def.steps.find((s) => s.id === run.step_id);
  const eventCounts: Record<string, number> = {};
  const engagement: Record<string, { opened: boolean; clicked: boolean }> = {};
  if (step?.type !== "condition" || run.phase !== "ready") return { eventCounts, engagement };
  for (const rule of step.rules ?? []) {
    if (rule.kind === "event_history" && rule.event && rule.days) {
      const r = await db
        .selectFrom("contact_events")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("account_id", "=", run.account_id)
        .where("contact_id", "=", run.contact_id)
        .where("name", "=", rule.event)
        .where("created_at", ">=", now - rule.days * 86_400_000)
        .executeTakeFirstOrThrow();
      eventCounts[eventCountKey(rule.event, rule.days)] = Number(r.n);
    }
  }
  if ((step.rules ?? []).some((r) => r.kind === "email")) {
    const msgs = await db.selectFrom("messages").select(["step_id", "opened_at", "clicked_at"]).where("account_id", "=", run.account_id).where("run_id", "=", run.id).execute();
    for (const m of msgs) engagement[m.step_id] = { opened: m.opened_at !== null, clicked: m.clicked_at !== null };
  }
  return { eventCounts, engagement };
}
