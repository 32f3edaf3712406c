import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import { isTransientDbError, type Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { bumpCounters } from "../db/counters.ts";
import type { PlannerStats } from "../db/planner-stats.ts";
import {
  advanceRuns,
  claimDueRuns,
  type ClaimedRun,
  endDelays,
  insertJournal,
  insertMessages,
  leasesOf,
  markRunFailed,
} from "../db/runs-repo.ts";
import type { Definition } from "../../core/flow/schema.ts";
import {
  contactEffects,
  fencedOut,
  planSteps,
  type RunState,
  type RunStep,
  type StepFacts,
  type StepPlan,
  stepRun,
} from "../../core/engine/plan-steps.ts";
import { listFields } from "../fields/fields-repo.ts";
import { loadDefinition } from "../automations/automations-repo.ts";
import { ContactChangedMeanwhile, MAX_CONTACT_RACES, persistContactWrites } from "../contacts/contacts-repo.ts";
import { type ContactLedger, loadLedger } from "./step-context.ts";
import { automationStatuses, conditionFacts } from "./engine-repo.ts";

type Db = Kysely<Database>;

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

/** What a batch of steps reads before deciding: the runs under the lease, each run's facts, the contacts. */
interface StepInputs {
  runs: ClaimedRun[];
  facts: Map<number, StepFacts>;
  ledgers: Map<number, ContactLedger>;
}

const ENDED: RunState = { step_id: null, phase: "ready", wake_at: null, done: true };

async function definitionOf(definitions: Map<string, Definition>, trx: Db, r: ClaimedRun): Promise<Definition> {
  const key = `${r.account_id}:${r.automation_id}:${r.version}`;
  let def = definitions.get(key);
  if (!def) definitions.set(key, (def = await loadDefinition(trx, r.account_id, r.automation_id, r.version)));
  return def;
}

/** The runs as they are now (a lost lease aborts), then everything their steps read. */
async function loadStep(
  definitions: Map<string, Definition>,
  trx: Db,
  claimed: ClaimedRun[],
  token: string,
  now: number,
): Promise<StepInputs> {
  const fresh = await leasesOf(
    trx,
    claimed.map((r) => r.id),
  );
  const lost = fencedOut(claimed, fresh, token);
  if (lost.length > 0) throw new LeaseLost(lost);
  // An edit may have moved a run to a new version.
  const runs = claimed.map((r) => ({ ...r, version: fresh.get(r.id)!.version }));
  const statuses = await automationStatuses(trx, [...new Set(runs.map((r) => r.automation_id))]);
  const fields = new Map<number, Awaited<ReturnType<typeof listFields>>>();
  const ledgers = new Map<number, ContactLedger>();
  for (const run of runs) await definitionOf(definitions, trx, run);
  for (const accountId of new Set(runs.map((r) => r.account_id))) {
    fields.set(accountId, await listFields(trx, accountId));
    const ids = runs.filter((r) => r.account_id === accountId).map((r) => r.contact_id);
    ledgers.set(accountId, await loadLedger(trx, accountId, ids, fields.get(accountId)!));
  }
  const facts = new Map<number, StepFacts>();
  for (const run of runs) {
    const definition = await definitionOf(definitions, trx, run);
    const condition = await conditionFacts(trx, run, definition, now);
    facts.set(run.id, { automation: statuses.get(run.automation_id), definition, fields: fields.get(run.account_id)!, condition });
  }
  return { runs, facts, ledgers };
}

/** Each run's step in batch order; its contact changes go to the ledger before the next run reads it. */
async function stepEach(inputs: StepInputs, now: number): Promise<RunStep[]> {
  const steps: RunStep[] = [];
  for (const run of inputs.runs) {
    const ledger = inputs.ledgers.get(run.account_id)!;
    const step = stepRun(run, inputs.facts.get(run.id)!, ledger.current(run.contact_id), now);
    for (const effect of contactEffects(step)) await ledger.apply(run.contact_id, effect);
    steps.push(step);
  }
  return steps;
}

async function persist(
  trx: Db,
  inputs: StepInputs,
  plan: StepPlan,
  token: string,
  now: number,
  midStep: ExecutorOptions["midStep"],
): Promise<void> {
  // Actions fire trigger events like API changes do, so automations can chain.
  for (const [accountId, ledger] of inputs.ledgers) await persistContactWrites(trx, accountId, ledger.writes(), now);
  await insertMessages(trx, plan.messages);
  await insertJournal(trx, plan.journal);
  await endDelays(trx, plan.delaysEnded);
  await midStep?.(inputs.runs);
  const written = await advanceRuns(trx, token, plan.advances);
  const fenced = inputs.runs.filter((r) => !written.has(r.id));
  if (fenced.length > 0) throw new LeaseLost(fenced.map((r) => r.id));
  // Last before the commit: every batch bumps the same few counter rows, so a batch holds
  // their locks from here to its commit, and the others in flight wait that long only.
  await bumpCounters(trx, plan.bumps);
}

async function markFailed(db: Db, clock: Clock, run: ClaimedRun, token: string, err: unknown): Promise<void> {
  const now = clock.now();
  const reason = `error: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`;
  await db.transaction().execute((trx) => markRunFailed(trx, run, token, reason, now));
}

/** One run spoiled the batch: each alone, so the rest still move and the culprit is found (failed). Answers leases lost. */
async function stepAlone(
  db: Db,
  clock: Clock,
  stepOne: (trx: Db, run: ClaimedRun) => Promise<{ results: Map<number, RunState> }>,
  live: readonly ClaimedRun[],
  token: string,
  results: Map<number, RunState>,
): Promise<number> {
  let lost = 0;
  for (const run of live) {
    try {
      const one = await db.transaction().execute((trx) => stepOne(trx, run));
      results.set(run.id, one.results.get(run.id)!);
    } catch (err) {
      if (isTransientDbError(err) || err instanceof ContactChangedMeanwhile) throw err;
      if (err instanceof LeaseLost) lost++;
      else await markFailed(db, clock, run, token, err);
      results.set(run.id, ENDED);
    }
  }
  return lost;
}

/** The runs still ready for another step now, at the positions their last step left them. */
function stillLive(live: readonly ClaimedRun[], results: ReadonlyMap<number, RunState>): ClaimedRun[] {
  return live
    .map((run) => ({ run, next: results.get(run.id)! }))
    .filter(({ next }) => !next.done)
    .map(({ run, next }) => ({ ...run, step_id: next.step_id, phase: next.phase, wake_at: next.wake_at }));
}

/** What a round of steps needs of its executor. */
interface StepContext {
  db: Db;
  clock: Clock;
  opts: ExecutorOptions;
  /** Parsed definitions by version (versions are immutable). */
  definitions: Map<string, Definition>;
}

/** One step for each run, inside the caller's transaction; throws LeaseLost if any run was taken over. */
async function stepBatch(
  ctx: StepContext,
  trx: Db,
  claimed: ClaimedRun[],
  token: string,
  now: number,
): Promise<{ results: Map<number, RunState>; journaled: number }> {
  const inputs = await loadStep(ctx.definitions, trx, claimed, token, now);
  const plan = planSteps(await stepEach(inputs, now), now);
  await persist(trx, inputs, plan, token, now, ctx.opts.midStep);
  return { results: plan.next, journaled: plan.journal.length };
}

/** One transaction of steps for the live runs, or each run alone when one spoiled it; null after a contact race (the same step again). */
async function stepRound(
  ctx: StepContext,
  live: ClaimedRun[],
  token: string,
  tally: { lost: number; raced: number },
): Promise<Map<number, RunState> | null> {
  const { db, clock, opts } = ctx;
  const now = clock.now();
  try {
    const batch = await db.transaction().execute((trx) => stepBatch(ctx, trx, live, token, now));
    await opts.stats?.wrote("run_journal", batch.journaled);
    return batch.results;
  } catch (batchErr) {
    // Another transaction changed a contact this step read (PostgreSQL): nothing was
    // committed; the same step again, from a fresh read (the leases are still ours).
    if (batchErr instanceof ContactChangedMeanwhile && ++tally.raced <= MAX_CONTACT_RACES) return null;
    // The database failing is no verdict on the runs: give the batch up; the leases expire
    // and the runs are taken again, from the step they were at.
    if (isTransientDbError(batchErr) || batchErr instanceof ContactChangedMeanwhile) throw batchErr;
    const results = new Map<number, RunState>();
    tally.lost += await stepAlone(db, clock, (trx, run) => stepBatch(ctx, trx, [run], token, now), live, token, results);
    return results;
  }
}

/**
 * Claims due runs under a lease and moves each forward one step per transaction, a whole
 * batch of runs per transaction: the steps' effects, their journal rows (unique per run
 * and step) and the runs' advance commit together, fenced by the lease token — so each
 * step happens exactly once even when a worker dies or stalls mid-step. Each step is
 * load (repos) → plan (pure: core/engine/plan-steps.ts) → persist (repos).
 */
export function executor(store: Store, clock: Clock, log: FastifyBaseLogger, opts: ExecutorOptions) {
  const { db } = store;
  // Versions are immutable: their parsed definitions can be kept forever.
  const ctx: StepContext = { db, clock, opts, definitions: new Map<string, Definition>() };

  return {
    /** Claims one batch of due runs and carries each as far as it goes now. Answers steps taken. */
    async runBatch(): Promise<number> {
      const token = randomBytes(12).toString("base64url");
      const claimedAt = clock.now();
      let live = await claimDueRuns(store, claimedAt, claimedAt + opts.leaseMs, token, opts.batchSize);
      if (live.length > 0) await opts.afterClaim?.(live);
      let steps = 0;
      const tally = { lost: 0, raced: 0 };
      while (live.length > 0) {
        const results = await stepRound(ctx, live, token, tally);
        if (results === null) continue;
        steps += live.length;
        // Let queued API work reach the database between steps (SQLite has one connection).
        await new Promise((r) => setImmediate(r));
        live = stillLive(live, results);
      }
      if (tally.lost > 0)
        log.warn({ lost: tally.lost }, "lease lost: another worker took these runs over; nothing of them was committed here");
      return steps;
    },
  };
}

export type Executor = ReturnType<typeof executor>;
