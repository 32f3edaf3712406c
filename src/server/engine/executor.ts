import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { type Kysely, sql } from "kysely";
import type { Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { claimDueRuns, type ClaimedRun } from "../db/claim.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { advance, type Effect, type JournalEntry, type Transition } from "../../core/engine/advance.ts";
import { type ConditionContext, eventCountKey } from "../../core/engine/evaluate-condition.ts";
import { applyContactChange, type ContactChange } from "../../core/contacts/contact-change.ts";
import { listFields, type FieldRow } from "../fields/fields-repo.ts";
import { findContact, listIdsOf, persistContactWrites, toState } from "../contacts/contacts-repo.ts";
import { fieldsByTag } from "../contacts/field-input.ts";

type Db = Kysely<Database>;

/** A commit refused because the worker no longer holds the run's lease. */
export class LeaseLost extends Error {
  constructor(readonly runId: number) {
    super(`lease lost on run ${runId}`);
  }
}

export interface ExecutorOptions {
  batchSize: number;
  leaseMs: number;
  /** Test hook: runs inside a step's transaction just before it commits. */
  beforeCommit?: (run: ClaimedRun) => Promise<void>;
  /** Test hook: runs after a batch is claimed, before any step (a worker stalling there). */
  afterClaim?: (runs: ClaimedRun[]) => Promise<void>;
}

type RunState = Pick<ClaimedRun, "step_id" | "phase" | "wake_at"> & { done: boolean };

/**
 * Claims due runs under a lease and moves each forward one step per transaction (a batch
 * of runs per transaction): the step's effects, its journal row (unique per run and step)
 * and the run's advance commit together, fenced by the lease token — so each step happens
 * exactly once even when a worker dies or stalls mid-step.
 */
export function executor(store: Store, clock: Clock, log: FastifyBaseLogger, opts: ExecutorOptions) {
  const { db } = store;
  // Versions are immutable: cache their parsed definitions forever.
  const definitions = new Map<string, Definition>();

  async function definitionOf(trx: Db, run: ClaimedRun): Promise<Definition> {
    const key = `${run.account_id}:${run.automation_id}:${run.version}`;
    let def = definitions.get(key);
    if (!def) {
      const row = await trx
        .selectFrom("automation_versions")
        .select("definition")
        .where("account_id", "=", run.account_id)
        .where("automation_id", "=", run.automation_id)
        .where("version", "=", run.version)
        .executeTakeFirstOrThrow();
      def = JSON.parse(row.definition) as Definition;
      definitions.set(key, def);
    }
    return def;
  }

  async function automationStatus(trx: Db, run: ClaimedRun): Promise<{ status: string; version: number; deleted: boolean } | undefined> {
    // FOR SHARE: a disable that starts now waits for this step to commit, then removes the run.
    const lock = store.dialect === "postgres" ? sql` for share` : sql``;
    const r = await sql<{ status: string; version: number; deleted_at: number | null }>`
      select status, version, deleted_at from automations where account_id = ${run.account_id} and id = ${run.automation_id}${lock}`.execute(trx);
    const row = r.rows[0];
    return row && { status: row.status, version: Number(row.version), deleted: row.deleted_at !== null };
  }

  async function conditionFacts(trx: Db, run: ClaimedRun, def: Definition, now: number) {
    const step = def.steps.find((s) => s.id === run.step_id);
    const eventCounts: Record<string, number> = {};
    const engagement: ConditionContext["engagement"] = {};
    if (step?.type !== "condition") return { eventCounts, engagement };
    for (const rule of step.rules ?? []) {
      if (rule.kind === "event_history" && rule.event && rule.days) {
        const r = await trx
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
      const msgs = await trx
        .selectFrom("messages")
        .select(["step_id", "opened_at", "clicked_at"])
        .where("account_id", "=", run.account_id)
        .where("run_id", "=", run.id)
        .execute();
      for (const m of msgs) (engagement as Record<string, { opened: boolean; clicked: boolean }>)[m.step_id] = { opened: m.opened_at !== null, clicked: m.clicked_at !== null };
    }
    return { eventCounts, engagement };
  }

  async function applyEffects(trx: Db, run: ClaimedRun, effects: Effect[], defs: FieldRow[], now: number): Promise<void> {
    for (const effect of effects) {
      const row = await findContact(trx, run.account_id, run.contact_id);
      if (!row) return;
      if (effect.type === "send_email") {
        await trx
          .insertInto("messages")
          .values({
            account_id: run.account_id,
            run_id: run.id,
            step_id: effect.stepId,
            automation_id: run.automation_id,
            contact_id: run.contact_id,
            to_email: row.email,
            status: effect.skipped ? "skipped" : "queued",
            email: JSON.stringify(effect.email),
            context: run.context,
            created_at: now,
            sent_at: null,
            opened_at: null,
            clicked_at: null,
            error: effect.skipped ? "contact unsubscribed" : null,
          })
          .execute();
        continue;
      }
      let change: ContactChange;
      if (effect.type === "update_field") {
        const def = defs.find((d) => d.merge_tag === effect.field);
        if (!def) continue; // the field was deleted since the automation was activated
        change = { fields: new Map([[def.id, effect.value]]) };
      } else if (effect.type === "unsubscribe") {
        change = { unsubscribed: true };
      } else {
        const existing = await trx.selectFrom("lists").select("id").where("account_id", "=", run.account_id).where("id", "in", effect.listIds.length ? effect.listIds : [-1]).execute();
        const ids = existing.map((l) => l.id);
        change = effect.type === "add_to_lists" ? { listsIncluded: ids } : { listsExcluded: ids };
      }
      const lists = await listIdsOf(trx, run.account_id, [row.id]);
      const applied = applyContactChange(toState(row, lists.get(row.id) ?? []), null, change, new Map(defs.map((d) => [d.id, d.merge_tag])));
      // Actions fire trigger events like API changes do, so automations can chain.
      await persistContactWrites(trx, run.account_id, [{ applied, isNew: false }], now);
    }
  }

  async function writeJournal(trx: Db, run: ClaimedRun, entries: JournalEntry[]): Promise<void> {
    for (const j of entries) {
      if (j.outcome === "waited") {
        await trx
          .updateTable("run_journal")
          .set({ outcome: "done", completed_at: j.at })
          .where("account_id", "=", run.account_id)
          .where("run_id", "=", run.id)
          .where("step_id", "=", j.step_id)
          .execute();
        continue;
      }
      await trx
        .insertInto("run_journal")
        .values({
          account_id: run.account_id,
          run_id: run.id,
          step_id: j.step_id,
          automation_id: run.automation_id,
          version: run.version,
          type: j.type,
          outcome: j.outcome,
          detail: j.detail === undefined ? null : JSON.stringify(j.detail),
          at: j.at,
          completed_at: j.outcome === "waiting" ? null : j.at,
        })
        .execute();
    }
  }

  /** The run's write, only while this worker still holds the lease it claimed with. */
  async function fencedUpdate(trx: Db, run: ClaimedRun, token: string, t: Pick<Transition, "position" | "end">, now: number): Promise<RunState> {
    const ended = t.end !== null;
    const waiting = t.position?.phase === "waiting";
    const res = await trx
      .updateTable("runs")
      .set({
        step_id: t.position?.step_id ?? null,
        phase: t.position?.phase ?? "ready",
        wake_at: t.position?.wake_at ?? null,
        status: t.end ? t.end.status : "active",
        exit_reason: t.end?.status === "exited" ? t.end.reason : null,
        finished_at: ended ? now : null,
        // A run that waits or ended lets its lease go; one still ready keeps it for the next step.
        ...(ended || waiting ? { lease_token: null, lease_until: null } : {}),
      })
      .where("id", "=", run.id)
      .where("lease_token", "=", token)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new LeaseLost(run.id);
    return { step_id: t.position?.step_id ?? null, phase: t.position?.phase ?? "ready", wake_at: t.position?.wake_at ?? null, done: ended || waiting };
  }

  /** One step of one run, inside the caller's transaction. */
  async function stepRun(trx: Db, claimed: ClaimedRun, token: string, now: number): Promise<RunState> {
    // The run as it is now: an edit may have moved it to a new version, another worker taken it.
    const fresh = await trx.selectFrom("runs").select(["version", "lease_token", "status"]).where("id", "=", claimed.id).executeTakeFirst();
    if (!fresh || fresh.lease_token !== token || fresh.status !== "active") throw new LeaseLost(claimed.id);
    const run = { ...claimed, version: fresh.version };
    const auto = await automationStatus(trx, run);
    if (!auto || auto.deleted || auto.status === "disabled") {
      return fencedUpdate(trx, run, token, { position: null, end: { status: "exited", reason: auto?.deleted ? "automation_deleted" : "automation_disabled" } }, now);
    }
    const contact = await findContact(trx, run.account_id, run.contact_id);
    if (!contact) return fencedUpdate(trx, run, token, { position: null, end: { status: "exited", reason: "contact_deleted" } }, now);

    const def = await definitionOf(trx, run);
    const defs = await listFields(trx, run.account_id);
    const lists = await listIdsOf(trx, run.account_id, [contact.id]);
    const state = toState(contact, lists.get(contact.id) ?? []);
    const facts = await conditionFacts(trx, run, def, now);
    const context = JSON.parse(run.context) as { event?: ConditionContext["event"] };
    const ctx: ConditionContext = {
      contact: {
        status: state.status,
        fields: fieldsByTag(defs, state.fields),
        fieldTypes: Object.fromEntries(defs.map((d) => [d.merge_tag, d.data_type])),
        listIds: state.listIds,
      },
      event: context.event ?? null,
      ...facts,
      now,
    };
    const position = { step_id: run.step_id ?? "", phase: run.phase, wake_at: run.wake_at };
    const t = run.step_id === null ? { effects: [], journal: [], position: null, end: { status: "completed" as const } } : advance(def, position, ctx, now, 1);
    await applyEffects(trx, run, t.effects, defs, now);
    await writeJournal(trx, run, t.journal);
    const next = await fencedUpdate(trx, run, token, t, now);
    await opts.beforeCommit?.(run);
    return next;
  }

  async function markFailed(run: ClaimedRun, token: string, err: unknown): Promise<void> {
    const now = clock.now();
    await db
      .updateTable("runs")
      .set({ status: "failed", exit_reason: `error: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`, finished_at: now, wake_at: null, lease_token: null, lease_until: null })
      .where("id", "=", run.id)
      .where("lease_token", "=", token)
      .execute();
  }

  return {
    /** Claims one batch of due runs and carries each as far as it goes now. Answers steps taken. */
    async runBatch(): Promise<number> {
      const token = randomBytes(12).toString("base64url");
      const claimedAt = clock.now();
      let live = await claimDueRuns(store, claimedAt, claimedAt + opts.leaseMs, token, opts.batchSize);
      if (live.length > 0) await opts.afterClaim?.(live);
      let steps = 0;
      let lost = 0;
      while (live.length > 0) {
        const now = clock.now();
        let results: Map<number, RunState>;
        try {
          results = await db.transaction().execute(async (trx) => {
            const out = new Map<number, RunState>();
            for (const run of live) out.set(run.id, await stepRun(trx, run, token, now));
            return out;
          });
        } catch {
          // One run spoiled the batch: take each alone, so the rest still move and the culprit is found.
          results = new Map();
          for (const run of live) {
            try {
              results.set(run.id, await db.transaction().execute((trx) => stepRun(trx, run, token, now)));
            } catch (err) {
              if (err instanceof LeaseLost) lost++;
              else await markFailed(run, token, err);
              results.set(run.id, { step_id: null, phase: "ready", wake_at: null, done: true });
            }
          }
        }
        steps += live.length;
        // Let queued API work reach the database between steps (SQLite has one connection).
        await new Promise((r) => setImmediate(r));
        live = live
          .map((run) => ({ run, next: results.get(run.id)! }))
          .filter(({ next }) => !next.done)
          .map(({ run, next }) => ({ ...run, step_id: next.step_id, phase: next.phase, wake_at: next.wake_at }));
      }
      if (lost > 0) log.warn({ lost }, "lease lost: another worker took these runs over; nothing of them was committed here");
      return steps;
    },
  };
}

export type Executor = ReturnType<typeof executor>;
