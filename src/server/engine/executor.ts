import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { type Kysely, sql } from "kysely";
import { isTransientDbError, type Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { claimDueRuns, type ClaimedRun } from "../db/claim.ts";
import { advanceRuns, type RunAdvance } from "../db/advance-runs.ts";
import { bumpCounters } from "../db/counters.ts";
import { inList, insertRows } from "../db/rows-relation.ts";
import type { PlannerStats } from "../db/planner-stats.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { advance, type Transition } from "../../core/engine/advance.ts";
import type { ConditionContext } from "../../core/engine/evaluate-condition.ts";
import { listFields, type FieldRow } from "../fields/fields-repo.ts";
import { ContactChangedMeanwhile, MAX_CONTACT_RACES, persistContactWrites } from "../contacts/contacts-repo.ts";
import { fieldsByTag } from "../contacts/field-input.ts";
import { conditionFacts, type ContactLedger, loadLedger } from "./step-context.ts";

type Db = Kysely<Database>;

/** A commit refused because the worker no longer holds a run's lease. */
export class LeaseLost extends Error {
  constructor(readonly runIds: number[]) {
    super(`lease lost on runs ${runIds.join(", ")}`);
  }
}

export interface ExecutorOptions {
  batchSize: number;
  leaseMs: number;
  /** Test hook: runs inside a step's transaction after its effects, before the runs' advance is written and committed. */
  midStep?: (runs: ClaimedRun[]) => Promise<void>;
  /** Test hook: runs after a batch is claimed, before any step (a worker stalling there). */
  afterClaim?: (runs: ClaimedRun[]) => Promise<void>;
  stats?: PlannerStats;
}

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


type RunState = Pick<ClaimedRun, "step_id" | "phase" | "wake_at"> & { done: boolean };

/**
 * Claims due runs under a lease and moves each forward one step per transaction, a whole
 * batch of runs per transaction: the steps' effects, their journal rows (unique per run
 * and step) and the runs' advance commit together, fenced by the lease token — so each
 * step happens exactly once even when a worker dies or stalls mid-step.
 */
export function executor(store: Store, clock: Clock, log: FastifyBaseLogger, opts: ExecutorOptions) {
  const { db } = store;
  // Versions are immutable: their parsed definitions can be kept forever.
  const definitions = new Map<string, Definition>();

  async function definitionsFor(trx: Db, runs: ClaimedRun[]): Promise<void> {
    const missing = runs.filter((r) => !definitions.has(`${r.account_id}:${r.automation_id}:${r.version}`));
    for (const r of missing) {
      const row = await trx
        .selectFrom("automation_versions")
        .select("definition")
        .where("account_id", "=", r.account_id)
        .where("automation_id", "=", r.automation_id)
        .where("version", "=", r.version)
        .executeTakeFirstOrThrow();
      definitions.set(`${r.account_id}:${r.automation_id}:${r.version}`, JSON.parse(row.definition) as Definition);
    }
  }

  /** The automations' status, read FOR SHARE on PostgreSQL: a disable waits for this step, then removes the run. */
  async function automationStatuses(trx: Db, runs: ClaimedRun[]): Promise<Map<number, string>> {
    const ids = [...new Set(runs.map((r) => r.automation_id))];
    const lock = store.dialect === "postgres" ? sql` for share` : sql``;
    const rows = await sql<{ id: number | string; status: string; deleted_at: number | null }>`
      select id, status, deleted_at from automations where id in (${sql.join(ids)}) order by id${lock}`.execute(trx);
    return new Map(rows.rows.map((r) => [Number(r.id), r.deleted_at !== null ? "deleted" : r.status]));
  }

  /** One step for each run, inside the caller's transaction; throws LeaseLost if any run was taken over. */
  async function stepBatch(trx: Db, claimed: ClaimedRun[], token: string, now: number): Promise<{ results: Map<number, RunState>; journaled: number }> {
    // The runs as they are now: an edit may have moved them to a new version, another worker taken them.
    const fresh = await trx.selectFrom("runs").select(["id", "version", "lease_token", "status"]).where(inList(trx, "id", claimed.map((r) => r.id), "bigint")).execute();
    const freshById = new Map(fresh.map((f) => [f.id, f]));
    const lost = claimed.filter((r) => freshById.get(r.id)?.lease_token !== token || freshById.get(r.id)?.status !== "active");
    if (lost.length > 0) throw new LeaseLost(lost.map((r) => r.id));
    const runs = claimed.map((r) => ({ ...r, version: freshById.get(r.id)!.version }));

    const runById = new Map(runs.map((r) => [r.id, r]));
    const statuses = await automationStatuses(trx, runs);
    await definitionsFor(trx, runs);
    const accounts = [...new Set(runs.map((r) => r.account_id))];
    const defsByAccount = new Map<number, FieldRow[]>();
    const ledgers = new Map<number, ContactLedger>();
    for (const accountId of accounts) {
      defsByAccount.set(accountId, await listFields(trx, accountId));
      const ids = runs.filter((r) => r.account_id === accountId).map((r) => r.contact_id);
      ledgers.set(accountId, await loadLedger(trx, accountId, ids, defsByAccount.get(accountId)!));
    }

    const advances: RunAdvance[] = [];
    const journal: Database["run_journal"][] = [];
    const waited: { account_id: number; run_id: number; step_id: string; at: number }[] = [];
    const messages: Omit<Database["messages"], "id">[] = [];
    const results = new Map<number, RunState>();

    for (const run of runs) {
      const status = statuses.get(run.automation_id);
      const ledger = ledgers.get(run.account_id)!;
      const contact = ledger.current(run.contact_id);
      let t: Pick<Transition, "position" | "end"> & Partial<Transition>;
      if (status === undefined || status === "deleted" || status === "disabled") {
        t = { position: null, end: { status: "exited", reason: status === "deleted" ? "automation_deleted" : "automation_disabled" } };
      } else if (!contact) {
        t = { position: null, end: { status: "exited", reason: "contact_deleted" } };
      } else if (run.step_id === null) {
        t = { position: null, end: { status: "completed" } };
      } else {
        const def = definitions.get(`${run.account_id}:${run.automation_id}:${run.version}`)!;
        const defs = defsByAccount.get(run.account_id)!;
        const context = JSON.parse(run.context) as { event?: ConditionContext["event"] };
        const ctx: ConditionContext = {
          contact: {
            status: contact.status,
            fields: fieldsByTag(defs, contact.fields),
            fieldTypes: Object.fromEntries(defs.map((d) => [d.merge_tag, d.data_type])),
            listIds: contact.listIds,
          },
          event: context.event ?? null,
          ...(await conditionFacts(trx, run, def, now)),
          now,
        };
        t = advance(def, { step_id: run.step_id, phase: run.phase, wake_at: run.wake_at }, ctx, now, 1);
        for (const effect of t.effects ?? []) {
          if (effect.type === "send_email") {
            messages.push({
              account_id: run.account_id,
              run_id: run.id,
              step_id: effect.stepId,
              automation_id: run.automation_id,
              contact_id: run.contact_id,
              to_email: contact.email,
              status: effect.skipped ? "skipped" : "queued",
              email: JSON.stringify(effect.email),
              context: run.context,
              created_at: now,
              sent_at: null,
              opened_at: null,
              clicked_at: null,
              error: effect.skipped ? "contact unsubscribed" : null,
              attempts: 0,
              // The sender takes queued messages from now on; the Message-ID is derived there from (run, step).
              next_attempt_at: effect.skipped ? null : now,
              lease_token: null,
              lease_until: null,
              message_id: null,
              smtp_response: null,
              first_attempt_at: null,
              subject: null,
            });
          } else {
            await ledger.apply(run.contact_id, effect);
          }
        }
        for (const j of t.journal ?? []) {
          if (j.outcome === "waited") {
            waited.push({ account_id: run.account_id, run_id: run.id, step_id: j.step_id, at: j.at });
            continue;
          }
          journal.push({
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
          });
        }
      }
      const ended = t.end !== null;
      const waiting = t.position?.phase === "waiting";
      advances.push({
        id: run.id,
        step_id: t.position?.step_id ?? null,
        phase: t.position?.phase ?? "ready",
        wake_at: t.position?.wake_at ?? null,
        status: t.end ? t.end.status : "active",
        exit_reason: t.end?.status === "exited" ? t.end.reason : null,
        finished_at: ended ? now : null,
        release: ended || waiting,
      });
      results.set(run.id, { step_id: t.position?.step_id ?? null, phase: t.position?.phase ?? "ready", wake_at: t.position?.wake_at ?? null, done: ended || waiting });
    }

    // Actions fire trigger events like API changes do, so automations can chain.
    for (const [accountId, ledger] of ledgers) await persistContactWrites(trx, accountId, ledger.writes(), now);
    await insertRows(trx, "messages", MESSAGE_COLUMNS, messages);
    // A second journal row for the same (run, step) violates the primary key: the commit fails, nothing doubles.
    await insertRows(trx, "run_journal", JOURNAL_COLUMNS, journal);
    // Delays that ended: one statement per (account, step, time) and 500 runs, not one per run.
    const delaysEnded = new Map<string, { account_id: number; step_id: string; at: number; runIds: number[] }>();
    for (const w of waited) {
      const key = `${w.account_id}\u0000${w.step_id}\u0000${w.at}`;
      const group = delaysEnded.get(key) ?? { account_id: w.account_id, step_id: w.step_id, at: w.at, runIds: [] };
      group.runIds.push(w.run_id);
      delaysEnded.set(key, group);
    }
    for (const g of delaysEnded.values()) {
      await trx
        .updateTable("run_journal")
        .set({ outcome: "done", completed_at: g.at })
        .where("account_id", "=", g.account_id)
        .where("step_id", "=", g.step_id)
        .where(inList(trx, "run_id", g.runIds, "bigint"))
        .execute();
    }
    const wokeUp = new Set(waited.map((w) => w.run_id));
    await opts.midStep?.(runs);
    const written = await advanceRuns(trx, token, advances);
    const fenced = runs.filter((r) => !written.has(r.id));
    if (fenced.length > 0) throw new LeaseLost(fenced.map((r) => r.id));
    // Last before the commit: every batch bumps the same few counter rows, so a batch holds
    // their locks from here to its commit, and the others in flight wait that long only.
    await bumpCounters(trx, [
      ...journal.flatMap((j) => {
        const base = { account_id: j.account_id, automation_id: j.automation_id, step_id: j.step_id, at: now };
        // A condition also counts the branch each run took (the Reports tab's Yes / No).
        const branch = j.type === "condition" && (j.outcome === "yes" || j.outcome === "no") ? [{ ...base, metric: `branch:${j.outcome}` }] : [];
        return j.completed_at === null ? [{ ...base, metric: "entered" }] : [{ ...base, metric: "entered" }, { ...base, metric: "completed" }, ...branch];
      }),
      ...waited.map((w) => ({ account_id: w.account_id, automation_id: runById.get(w.run_id)!.automation_id, step_id: w.step_id, metric: "completed", at: now })),
      ...messages.filter((m) => m.status === "skipped").map((m) => ({ account_id: m.account_id, automation_id: m.automation_id, step_id: m.step_id, metric: "email:skipped", at: now })),
      ...advances
        .filter((a) => a.status !== "active")
        .flatMap((a) => {
          const run = runById.get(a.id)!;
          const ended = { account_id: run.account_id, automation_id: run.automation_id, step_id: "", metric: a.status === "exited" ? `exited:${a.exit_reason}` : a.status, at: now };
          // Leaving from inside a delay (disabled, contact gone) abandons that step.
          const leftWaiting = run.phase === "waiting" && run.step_id !== null && !wokeUp.has(run.id);
          return leftWaiting ? [ended, { ...ended, step_id: run.step_id!, metric: "abandoned" }] : [ended];
        }),
    ]);
    return { results, journaled: journal.length };
  }

  async function markFailed(run: ClaimedRun, token: string, err: unknown): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("runs")
        .set({ status: "failed", exit_reason: `error: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`, finished_at: now, wake_at: null, lease_token: null, lease_until: null })
        .where("id", "=", run.id)
        .where("lease_token", "=", token)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) await bumpCounters(trx, [{ account_id: run.account_id, automation_id: run.automation_id, step_id: "", metric: "failed", at: now }]);
    });
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
      let raced = 0;
      while (live.length > 0) {
        const now = clock.now();
        let results: Map<number, RunState>;
        try {
          const batch = await db.transaction().execute((trx) => stepBatch(trx, live, token, now));
          results = batch.results;
          await opts.stats?.wrote("run_journal", batch.journaled);
        } catch (batchErr) {
          // Another transaction changed a contact this step read (PostgreSQL): nothing was
          // committed; the same step again, from a fresh read (the leases are still ours).
          if (batchErr instanceof ContactChangedMeanwhile && ++raced <= MAX_CONTACT_RACES) continue;
          // The database failing is no verdict on the runs: give the batch up; the leases expire
          // and the runs are taken again, from the step they were at.
          if (isTransientDbError(batchErr) || batchErr instanceof ContactChangedMeanwhile) throw batchErr;
          // One run spoiled the batch: take each alone, so the rest still move and the culprit is found.
          results = new Map();
          for (const run of live) {
            try {
              const one = await db.transaction().execute((trx) => stepBatch(trx, [run], token, now));
              results.set(run.id, one.results.get(run.id)!);
            } catch (err) {
              if (isTransientDbError(err) || err instanceof ContactChangedMeanwhile) throw err;
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
