import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { dialectOf } from "../db/dialect-of.ts";
import { inList } from "../db/rows-relation.ts";
import type { ClaimedRun } from "../db/runs-repo.ts";
import type { Definition } from "../../core/flow/schema.ts";
import type { EntryEvent, LiveAutomation } from "../../core/engine/entry-rules.ts";
import { type ConditionContext, eventCountKey } from "../../core/engine/evaluate-condition.ts";

/** What the dispatcher and the executor read beside runs: trigger events, automations, contacts, accounts, facts for conditions. */

type Db = Kysely<Database>;

// Only one dispatcher at a time keeps events in order across workers.
const DISPATCH_LOCK = 727_001;

/** Takes the dispatcher's lock for this transaction; false when another dispatcher holds it. */
export function lockDispatcher(trx: Db): Promise<boolean> {
  return dialectOf(trx).tryLockForTransaction(trx, DISPATCH_LOCK);
}

/** The oldest undispatched trigger events, in id order. */
export async function undispatchedEvents(trx: Db, limit: number): Promise<EntryEvent[]> {
  const rows = await trx
    .selectFrom("trigger_events")
    .select(["id", "account_id", "contact_id", "type", "payload"])
    .where("dispatched_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((e) => ({
    id: e.id,
    account_id: e.account_id,
    contact_id: e.contact_id,
    type: e.type,
    payload: JSON.parse(e.payload) as Record<string, unknown>,
  }));
}

export async function markDispatched(trx: Db, ids: readonly number[], now: number): Promise<void> {
  await trx
    .updateTable("trigger_events")
    .set({ dispatched_at: now })
    .where(inList(trx, "id", ids, "bigint"))
    .execute();
}

/** The account's active automations at their current versions. */
export async function liveAutomations(trx: Db, accountId: number): Promise<LiveAutomation[]> {
  const rows = await trx
    .selectFrom("automations as a")
    .innerJoin("automation_versions as v", (j) =>
      j.onRef("v.account_id", "=", "a.account_id").onRef("v.automation_id", "=", "a.id").onRef("v.version", "=", "a.version"),
    )
    .select(["a.id", "a.version", "v.definition"])
    .where("a.account_id", "=", accountId)
    .where("a.status", "=", "active")
    .where("a.deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({ id: r.id, version: r.version, def: JSON.parse(r.definition) as Definition }));
}

/** Which of these contacts exist. */
export async function existingContacts(trx: Db, accountId: number, contactIds: readonly string[]): Promise<string[]> {
  const rows = await trx
    .selectFrom("contacts")
    .select("id")
    .where("account_id", "=", accountId)
    .where(inList(trx, "id", contactIds, "text"))
    .execute();
  return rows.map((r) => r.id);
}

/** The account's monthly run quota, or the default when it has none of its own. */
export async function monthlyQuota(trx: Db, accountId: number, defaultQuota: number): Promise<number> {
  const row = await trx.selectFrom("accounts").select("monthly_run_quota").where("id", "=", accountId).executeTakeFirst();
  return row?.monthly_run_quota ?? defaultQuota;
}

/** The ids of the account's lists (an action's list that was deleted meanwhile is skipped). */
export async function accountListIds(db: Db, accountId: number): Promise<number[]> {
  return (await db.selectFrom("lists").select("id").where("account_id", "=", accountId).execute()).map((l) => l.id);
}

/** The automations' status (`deleted` once deleted), read FOR SHARE on PostgreSQL: a disable waits for this step, then removes the run. */
export async function automationStatuses(trx: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await trx
    .selectFrom("automations")
    .select(["id", "status", "deleted_at"])
    .where(inList(trx, "id", ids, "bigint"))
    .orderBy("id")
    .modifyEnd(dialectOf(trx).rowLock("share"))
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.deleted_at !== null ? "deleted" : r.status]));
}

/** Facts a condition step needs beyond the contact: event counts and this run's email engagement. */
export async function conditionFacts(
  db: Db,
  run: ClaimedRun,
  def: Definition,
  now: number,
): Promise<Pick<ConditionContext, "eventCounts" | "engagement">> {
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
    const msgs = await db
      .selectFrom("messages")
      .select(["step_id", "opened_at", "clicked_at"])
      .where("account_id", "=", run.account_id)
      .where("run_id", "=", run.id)
      .execute();
    for (const m of msgs) engagement[m.step_id] = { opened: m.opened_at !== null, clicked: m.clicked_at !== null };
  }
  return { eventCounts, engagement };
}
