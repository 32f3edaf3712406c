import { type Insertable, type Kysely, sql } from "kysely";
import type { Store } from "../db/connect.ts";
import type { PlannerStats } from "../db/planner-stats.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { runContext, triggerMatches, type TriggerEventView } from "../../core/engine/trigger-match.ts";
import { listFields } from "../fields/fields-repo.ts";
import { bumpCounters } from "../db/counters.ts";
import { inList, insertRows } from "../db/rows-relation.ts";
import type { FieldDataType } from "../../core/contacts/field-value.ts";

type Db = Kysely<Database>;

export const DEFAULT_REENTRY_HOURS = 24;
const BATCH = 1000;

const RUN_COLUMNS = {
  account_id: "bigint",
  automation_id: "bigint",
  version: "bigint",
  contact_id: "text",
  status: "text",
  step_id: "text",
  phase: "text",
  wake_at: "bigint",
  trigger_event_id: "bigint",
  context: "text",
  entered_at: "bigint",
} as const;

const REFUSAL_COLUMNS = { account_id: "bigint", automation_id: "bigint", contact_id: "text", reason: "text", trigger_event_id: "bigint", created_at: "bigint" } as const;
// Only one dispatcher at a time keeps events in order across workers.
const DISPATCH_LOCK = 727_001;

interface LiveAutomation {
  id: number;
  version: number;
  def: Definition;
}

function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

async function liveAutomations(trx: Db, accountId: number): Promise<LiveAutomation[]> {
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

/**
 * Turns trigger events into runs, in event order, a batch per transaction: every active
 * automation whose trigger matches enrolls the contact unless it entered the same
 * automation less than `reentry_hours` ago or the account's monthly run quota is spent;
 * each refusal is recorded with its reason. Answers how many events it consumed.
 */
export function dispatcher(store: Store, clock: Clock, opts: { defaultMonthlyQuota: number; stats?: PlannerStats }) {
  const { db } = store;

  async function quotaOf(trx: Db, accountId: number): Promise<number> {
    const row = await trx.selectFrom("accounts").select("monthly_run_quota").where("id", "=", accountId).executeTakeFirst();
    return row?.monthly_run_quota ?? opts.defaultMonthlyQuota;
  }

  return async function dispatchBatch(): Promise<number> {
    let entered = 0;
    const dispatched = await db.transaction().execute(async (trx) => {
      if (store.dialect === "postgres") {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${DISPATCH_LOCK}) as ok`.execute(trx);
        if (!got.rows[0]?.ok) return 0;
      }
      const events = await trx.selectFrom("trigger_events").selectAll().where("dispatched_at", "is", null).orderBy("id").limit(BATCH).execute();
      if (events.length === 0) return 0;
      const now = clock.now();
      const month = monthOf(now);
      const automations = new Map<number, LiveAutomation[]>();
      const fieldTypes = new Map<number, Map<string, FieldDataType>>();
      const quota = new Map<number, { limit: number; used: number }>();
      // Last entry per automation and contact: loaded, then updated as this batch enrolls.
      const enteredNow = new Map<string, number>();

      // First every (event, automation) match, pure; then the facts they need, in bulk.
      const pairs: { e: (typeof events)[number]; a: LiveAutomation; view: TriggerEventView }[] = [];
      for (const e of events) {
        if (!automations.has(e.account_id)) {
          automations.set(e.account_id, await liveAutomations(trx, e.account_id));
          fieldTypes.set(e.account_id, new Map((await listFields(trx, e.account_id)).map((f) => [f.merge_tag, f.data_type])));
        }
        const live = automations.get(e.account_id)!;
        if (live.length === 0) continue;
        const view: TriggerEventView = { type: e.type, payload: JSON.parse(e.payload) as Record<string, unknown> };
        for (const a of live) {
          if (triggerMatches(a.def.trigger, view, fieldTypes.get(e.account_id)!.get(a.def.trigger.field ?? ""))) pairs.push({ e, a, view });
        }
      }
      const existing = new Set<string>();
      for (const accountId of new Set(pairs.map((p) => p.e.account_id))) {
        const mine = pairs.filter((p) => p.e.account_id === accountId);
        const contactIds = [...new Set(mine.map((p) => p.e.contact_id))];
        const automationIds = [...new Set(mine.map((p) => p.a.id))];
        for (const c of await trx.selectFrom("contacts").select("id").where("account_id", "=", accountId).where(inList(trx, "id", contactIds, "text")).execute()) existing.add(`${accountId}:${c.id}`);
        const last = await trx
          .selectFrom("runs")
          .select(["automation_id", "contact_id", (eb) => eb.fn.max("entered_at").as("at")])
          .where("account_id", "=", accountId)
          .where(inList(trx, "automation_id", automationIds, "bigint"))
          .where(inList(trx, "contact_id", contactIds, "text"))
          .groupBy(["automation_id", "contact_id"])
          .execute();
        for (const r of last) enteredNow.set(`${r.automation_id}:${r.contact_id}`, Number(r.at));
        if (!quota.has(accountId)) {
          const used = await trx.selectFrom("run_quota").select("count").where("account_id", "=", accountId).where("month", "=", month).executeTakeFirst();
          quota.set(accountId, { limit: await quotaOf(trx, accountId), used: used?.count ?? 0 });
        }
      }

      const runs: Insertable<Database["runs"]>[] = [];
      const refusals: Insertable<Database["entry_refusals"]>[] = [];
      for (const { e, a, view } of pairs) {
        const refuse = (reason: string) =>
          refusals.push({ account_id: e.account_id, automation_id: a.id, contact_id: e.contact_id, reason, trigger_event_id: e.id, created_at: now });
        if (!existing.has(`${e.account_id}:${e.contact_id}`)) {
          refuse("contact_deleted");
          continue;
        }
        const key = `${a.id}:${e.contact_id}`;
        const last = enteredNow.get(key);
        const reentryMs = (a.def.settings?.reentry_hours ?? DEFAULT_REENTRY_HOURS) * 3_600_000;
        if (last !== undefined && now - last < reentryMs) {
          refuse("reentry");
          continue;
        }
        const q = quota.get(e.account_id)!;
        if (q.limit > 0 && q.used >= q.limit) {
          refuse("quota");
          continue;
        }
        q.used++;
        enteredNow.set(key, now);
        runs.push({
          account_id: e.account_id,
          automation_id: a.id,
          version: a.version,
          contact_id: e.contact_id,
          status: "active",
          step_id: a.def.entry_step_id ?? null,
          phase: "ready",
          wake_at: now,
          lease_token: null,
          lease_until: null,
          trigger_event_id: e.id,
          context: JSON.stringify(runContext(view)),
          entered_at: now,
          finished_at: null,
          exit_reason: null,
        });
      }
      await insertRows(trx, "runs", RUN_COLUMNS, runs);
      entered = runs.length;
      await insertRows(trx, "entry_refusals", REFUSAL_COLUMNS, refusals);
      await bumpCounters(trx, [
        ...runs.map((r) => ({ account_id: r.account_id, automation_id: r.automation_id, step_id: "", metric: "entered", at: now })),
        ...refusals.map((r) => ({ account_id: r.account_id, automation_id: r.automation_id, step_id: "", metric: `refused:${r.reason}`, at: now })),
      ]);

      for (const [accountId, q] of quota) {
        await trx
          .insertInto("run_quota")
          .values({ account_id: accountId, month, count: q.used })
          .onConflict((oc) => oc.columns(["account_id", "month"]).doUpdateSet({ count: q.used }))
          .execute();
      }
      const ids = events.map((e) => e.id);
      await trx.updateTable("trigger_events").set({ dispatched_at: now }).where(inList(trx, "id", ids, "bigint")).execute();
      return events.length;
    });
    await opts.stats?.wrote("runs", entered);
    return dispatched;
  };
}
