import { type Kysely, sql } from "kysely";
import type { Store } from "./connect.ts";
import type { Database } from "./schema.ts";
import { dialectOf } from "./dialect-of.ts";
import { inList, insertRows, rowsRelation } from "./rows-relation.ts";
import { type Bump, bumpCounters } from "./counters.ts";
import type { ExitReason } from "../../core/engine/counter-names.ts";
import type { NewRun, Refusal } from "../../core/engine/entry-rules.ts";
import type { DelaysEnded, JournalRow, MessageRow, RunAdvance, StepRun } from "../../core/engine/plan-steps.ts";

/**
 * Every statement on runs, their journal, entry refusals and the run quota: the dispatcher
 * starts runs, the executor claims and advances them, services end them (a contact deleted,
 * an automation disabled, deleted or edited).
 */

type Db = Kysely<Database>;

export type { RunAdvance } from "../../core/engine/plan-steps.ts";

/** A run as claimed: where it stands, and the trigger context it carries. */
export type ClaimedRun = StepRun;

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

const REFUSAL_COLUMNS = {
  account_id: "bigint",
  automation_id: "bigint",
  contact_id: "text",
  reason: "text",
  trigger_event_id: "bigint",
  created_at: "bigint",
} as const;

const JOURNAL_COLUMNS = {
  account_id: "bigint",
  run_id: "bigint",
  step_id: "text",
  automation_id: "bigint",
  version: "bigint",
  type: "text",
  outcome: "text",
  detail: "text",
  at: "bigint",
  completed_at: "bigint",
} as const;

const MESSAGE_COLUMNS = {
  account_id: "bigint",
  run_id: "bigint",
  step_id: "text",
  automation_id: "bigint",
  contact_id: "text",
  to_email: "text",
  status: "text",
  email: "text",
  context: "text",
  created_at: "bigint",
  error: "text",
  attempts: "int",
  next_attempt_at: "bigint",
} as const;

// ── Starting runs (the dispatcher) ──────────────────────────────────────────────────────

export async function insertRuns(trx: Db, runs: readonly NewRun[]): Promise<void> {
  await insertRows(trx, "runs", RUN_COLUMNS, runs);
}

export async function insertRefusals(trx: Db, refusals: readonly Refusal[]): Promise<void> {
  await insertRows(trx, "entry_refusals", REFUSAL_COLUMNS, refusals);
}

/** When each of these contacts last entered each of these automations. */
export async function lastEntries(
  trx: Db,
  accountId: number,
  automationIds: readonly number[],
  contactIds: readonly string[],
): Promise<{ automation_id: number; contact_id: string; at: number }[]> {
  const rows = await trx
    .selectFrom("runs")
    .select(["automation_id", "contact_id", (eb) => eb.fn.max("entered_at").as("at")])
    .where("account_id", "=", accountId)
    .where(inList(trx, "automation_id", automationIds, "bigint"))
    .where(inList(trx, "contact_id", contactIds, "text"))
    .groupBy(["automation_id", "contact_id"])
    .execute();
  return rows.map((r) => ({ automation_id: r.automation_id, contact_id: r.contact_id, at: Number(r.at) }));
}

/** Runs the account started in a month (`YYYY-MM`). */
export async function quotaUsed(trx: Db, accountId: number, month: string): Promise<number> {
  const row = await trx
    .selectFrom("run_quota")
    .select("count")
    .where("account_id", "=", accountId)
    .where("month", "=", month)
    .executeTakeFirst();
  return row?.count ?? 0;
}

export async function saveQuotaUsed(trx: Db, accountId: number, month: string, used: number): Promise<void> {
  await trx
    .insertInto("run_quota")
    .values({ account_id: accountId, month, count: used })
    .onConflict((oc) => oc.columns(["account_id", "month"]).doUpdateSet({ count: used }))
    .execute();
}

// ── Claiming and advancing runs (the executor) ──────────────────────────────────────────

/**
 * Leases up to `limit` runs that are due (`wake_at <= now`) and not held by a live lease.
 * The token fences every later write: a worker whose lease expired changes nothing.
 * PostgreSQL skips rows other workers hold; SQLite has one writer.
 */
export async function claimDueRuns(store: Store, now: number, leaseUntil: number, token: string, limit: number): Promise<ClaimedRun[]> {
  const result = await sql<ClaimedRun>`
    update runs set lease_token = ${token}, lease_until = ${leaseUntil}
    where id in (
      select id from runs
      where status = 'active' and wake_at <= ${now} and (lease_until is null or lease_until < ${now})
      order by wake_at limit ${limit}${dialectOf(store.db).rowLock("update skip locked")}
    )
    returning id, account_id, automation_id, version, contact_id, step_id, phase, wake_at, context`.execute(store.db);
  return result.rows;
}

/** The earliest wake time of any live run, so a worker can sleep exactly until then. */
export async function nextWake(store: Store): Promise<number | null> {
  const r = await sql<{ w: number | string | null }>`select min(wake_at) as w from runs where status = 'active'`.execute(store.db);
  const w = r.rows[0]?.w;
  return w === null || w === undefined ? null : Number(w);
}

/** The runs as they are now (an edit may have moved them to a new version, another worker taken them). */
export async function leasesOf(
  trx: Db,
  ids: readonly number[],
): Promise<Map<number, { version: number; lease_token: string | null; status: string }>> {
  const rows = await trx
    .selectFrom("runs")
    .select(["id", "version", "lease_token", "status"])
    .where(inList(trx, "id", ids, "bigint"))
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function insertMessages(trx: Db, messages: readonly MessageRow[]): Promise<void> {
  await insertRows(trx, "messages", MESSAGE_COLUMNS, messages);
}

/** A second journal row for the same (run, step) violates the primary key: the commit fails, nothing doubles. */
export async function insertJournal(trx: Db, rows: readonly JournalRow[]): Promise<void> {
  await insertRows(trx, "run_journal", JOURNAL_COLUMNS, rows);
}

/** Delays that ended: their journal rows done, one statement per (account, step, time). */
export async function endDelays(trx: Db, groups: readonly DelaysEnded[]): Promise<void> {
  for (const g of groups) {
    await trx
      .updateTable("run_journal")
      .set({ outcome: "done", completed_at: g.at })
      .where("account_id", "=", g.account_id)
      .where("step_id", "=", g.step_id)
      .where(inList(trx, "run_id", g.runIds, "bigint"))
      .execute();
  }
}

/**
 * Writes many runs' next positions in one statement, each only while the run still holds
 * `token` (the fence). Only live runs hold a token (every way a run ends clears it), so the
 * token alone fences; leaving `status` out keeps PostgreSQL's planner on the primary key.
 * Answers the ids actually written.
 */
export async function advanceRuns(db: Db, token: string, rows: readonly RunAdvance[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const postgres = dialectOf(db).name === "postgres";
  // PostgreSQL: the token is a join column, not a constant, and the ids also restrict the
  // scan of runs. A constant token is estimated to match one row (each token is unique),
  // and the planner then loops over the whole relation once per run: quadratic in the batch.
  const result = await sql<{ id: number | string }>`
    with v(id, token, step_id, phase, wake_at, status, exit_reason, finished_at, release_lease) as (${rowsRelation(
      db,
      ["bigint", "text", "text", "text", "bigint", "text", "text", "bigint", "int"],
      rows.map((r) => [r.id, token, r.step_id, r.phase, r.wake_at, r.status, r.exit_reason, r.finished_at, r.release ? 1 : 0]),
    )})
    update runs set
      step_id = v.step_id, phase = v.phase, wake_at = v.wake_at, status = v.status,
      exit_reason = v.exit_reason, finished_at = v.finished_at,
      lease_token = case when v.release_lease = 1 then null else runs.lease_token end,
      lease_until = case when v.release_lease = 1 then null else runs.lease_until end
    from v
    where runs.id = v.id and runs.lease_token = v.token${postgres ? sql` and runs.id = any(${rows.map((r) => r.id)}::bigint[])` : sql``}
    returning runs.id`.execute(db);
  return new Set(result.rows.map((r) => Number(r.id)));
}

/** Marks a run failed while this worker still holds its lease; answers whether it did. */
export async function markRunFailed(
  trx: Db,
  run: Pick<ClaimedRun, "id" | "account_id" | "automation_id">,
  token: string,
  reason: string,
  now: number,
): Promise<boolean> {
  const res = await trx
    .updateTable("runs")
    .set({ status: "failed", exit_reason: reason, finished_at: now, wake_at: null, lease_token: null, lease_until: null })
    .where("id", "=", run.id)
    .where("lease_token", "=", token)
    .executeTakeFirst();
  const failed = Number(res.numUpdatedRows) === 1;
  if (failed)
    await bumpCounters(trx, [{ account_id: run.account_id, automation_id: run.automation_id, step_id: "", metric: "failed", at: now }]);
  return failed;
}

// ── Ending runs from outside (services) ─────────────────────────────────────────────────

/** The counters of runs that exited from outside: the reason, and a delay they left abandoned. */
function exitBumps(
  accountId: number,
  reason: ExitReason,
  now: number,
  gone: readonly { automation_id: number; step_id: string | null; phase: string }[],
): Bump[] {
  const bumps: Bump[] = [];
  for (const r of gone) {
    bumps.push({ account_id: accountId, automation_id: r.automation_id, step_id: "", metric: `exited:${reason}`, at: now });
    // A run leaving a delay never completes it: the step's "waiting" must drop.
    if (r.phase === "waiting" && r.step_id)
      bumps.push({ account_id: accountId, automation_id: r.automation_id, step_id: r.step_id, metric: "abandoned", at: now });
  }
  return bumps;
}

/** A deleted contact's runs leave now (a run mid-step leaves at its next step). */
export async function exitRunsOfContact(trx: Db, accountId: number, contactId: string, now: number): Promise<void> {
  const exited = await trx
    .updateTable("runs")
    .set({ status: "exited", exit_reason: "contact_deleted", finished_at: now, wake_at: null, lease_token: null, lease_until: null })
    .where("account_id", "=", accountId)
    .where("contact_id", "=", contactId)
    .where("status", "=", "active")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .returning(["automation_id", "step_id", "phase"])
    .execute();
  await bumpCounters(trx, exitBumps(accountId, "contact_deleted", now, exited));
}

/**
 * Ends an automation's runs that no worker holds (a run mid-step finishes that step; the
 * executor then removes it), in chunks chosen by the database, so disabling an automation
 * with a million waiting runs never holds them all in memory; bumps are summed per key, so
 * one counter row per reason. `only`: the runs of one version not at one of `keepSteps`.
 */
export async function exitIdleRuns(
  trx: Db,
  accountId: number,
  automationId: number,
  reason: ExitReason,
  now: number,
  only?: { version: number; keepSteps: readonly string[] },
): Promise<void> {
  for (;;) {
    let chunk = trx
      .selectFrom("runs")
      .select("id")
      .where("account_id", "=", accountId)
      .where("automation_id", "=", automationId)
      .where("status", "=", "active")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]));
    if (only) {
      chunk = chunk.where("version", "=", only.version).where("step_id", "is not", null);
      if (only.keepSteps.length > 0) chunk = chunk.where("step_id", "not in", [...only.keepSteps]);
    }
    const ids = (await chunk.limit(1000).execute()).map((r) => r.id);
    if (ids.length === 0) return;
    const gone = await trx
      .updateTable("runs")
      .set({ status: "exited", exit_reason: reason, finished_at: now, wake_at: null, lease_token: null, lease_until: null })
      .where("account_id", "=", accountId)
      .where("id", "in", ids)
      .where("status", "=", "active")
      .returning(["step_id", "phase"])
      .execute();
    await bumpCounters(
      trx,
      exitBumps(
        accountId,
        reason,
        now,
        gone.map((r) => ({ ...r, automation_id: automationId })),
      ),
    );
  }
}

/** Moves an automation's live runs from one version to the next (an edit that moves runs in flight). */
export async function moveRunsToVersion(trx: Db, accountId: number, automationId: number, from: number, to: number): Promise<void> {
  await trx
    .updateTable("runs")
    .set({ version: to })
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId)
    .where("version", "=", from)
    .where("status", "=", "active")
    .execute();
}
