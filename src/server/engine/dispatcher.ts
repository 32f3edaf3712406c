import type { Kysely } from "kysely";
import type { Store } from "../db/connect.ts";
import type { PlannerStats } from "../db/planner-stats.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import type { FieldDataType } from "../../core/contacts/field-value.ts";
import {
  contactKey,
  decideEntries,
  type EntryCandidate,
  type EntryEvent,
  type EntryFacts,
  type EntryPlan,
  type LiveAutomation,
  matchEntries,
  monthOf,
  reentryKey,
} from "../../core/engine/entry-rules.ts";
import { listFields } from "../fields/fields-repo.ts";
import { bumpCounters } from "../db/counters.ts";
import { insertRefusals, insertRuns, lastEntries, quotaUsed, saveQuotaUsed } from "../db/runs-repo.ts";
import { existingContacts, liveAutomations, lockDispatcher, markDispatched, monthlyQuota, undispatchedEvents } from "./engine-repo.ts";

type Db = Kysely<Database>;

const BATCH = 1000;

/** The live automations and field types of each account with events. */
async function loadAutomations(trx: Db, events: readonly EntryEvent[]) {
  const automations = new Map<number, LiveAutomation[]>();
  const fieldTypes = new Map<number, Map<string, FieldDataType>>();
  for (const accountId of new Set(events.map((e) => e.account_id))) {
    automations.set(accountId, await liveAutomations(trx, accountId));
    fieldTypes.set(accountId, new Map((await listFields(trx, accountId)).map((f) => [f.merge_tag, f.data_type])));
  }
  return { automations, fieldTypes };
}

async function persist(trx: Db, plan: EntryPlan, events: readonly EntryEvent[], month: string, now: number): Promise<void> {
  await insertRuns(trx, plan.runs);
  await insertRefusals(trx, plan.refusals);
  await bumpCounters(trx, plan.bumps);
  for (const [accountId, used] of plan.quotaUsed) await saveQuotaUsed(trx, accountId, month, used);
  await markDispatched(
    trx,
    events.map((e) => e.id),
    now,
  );
}

/**
 * Turns trigger events into runs, in event order, a batch per transaction: every active
 * automation whose trigger matches enrolls the contact unless it entered the same
 * automation less than `reentry_hours` ago or the account's monthly run quota is spent;
 * each refusal is recorded with its reason. Answers how many events it consumed.
 * Load (repos) → decide (pure: core/engine/entry-rules.ts) → persist (repos).
 */
export function dispatcher(store: Store, clock: Clock, opts: { defaultMonthlyQuota: number; stats?: PlannerStats }) {
  const { db } = store;

  /** The facts the entry rules need, in bulk per account: which contacts exist, last entries, the month's quota. */
  async function loadFacts(trx: Db, candidates: readonly EntryCandidate[], month: string): Promise<EntryFacts> {
    const contacts = new Set<string>();
    const lastEntered = new Map<string, number>();
    const quota = new Map<number, { limit: number; used: number }>();
    for (const accountId of new Set(candidates.map((c) => c.event.account_id))) {
      const mine = candidates.filter((c) => c.event.account_id === accountId);
      const contactIds = [...new Set(mine.map((c) => c.event.contact_id))];
      const automationIds = [...new Set(mine.map((c) => c.automation.id))];
      for (const id of await existingContacts(trx, accountId, contactIds)) contacts.add(contactKey(accountId, id));
      for (const r of await lastEntries(trx, accountId, automationIds, contactIds))
        lastEntered.set(reentryKey(r.automation_id, r.contact_id), r.at);
      const used = await quotaUsed(trx, accountId, month);
      quota.set(accountId, { limit: await monthlyQuota(trx, accountId, opts.defaultMonthlyQuota), used });
    }
    return { contacts, lastEntered, quota };
  }

  return async function dispatchBatch(): Promise<number> {
    let entered = 0;
    const dispatched = await db.transaction().execute(async (trx) => {
      // Only one dispatcher at a time keeps events in order across workers.
      if (!(await lockDispatcher(trx))) return 0;
      const events = await undispatchedEvents(trx, BATCH);
      if (events.length === 0) return 0;
      const now = clock.now();
      const month = monthOf(now);
      const { automations, fieldTypes } = await loadAutomations(trx, events);
      const candidates = matchEntries(events, automations, fieldTypes);
      const plan = decideEntries(candidates, await loadFacts(trx, candidates, month), now);
      await persist(trx, plan, events, month, now);
      entered = plan.runs.length;
      return events.length;
    });
    await opts.stats?.wrote("runs", entered);
    return dispatched;
  };
}
