import type { ContactState } from "../contacts/contact-change.ts";
import type { FieldDataType, FieldValue } from "../contacts/field-value.ts";
import type { Definition } from "../flow/schema.ts";
import { advance, type Effect, type End, type JournalEntry, type Position } from "./advance.ts";
import { type Bump, exitedCounter, type ExitReason } from "./counter-names.ts";
import type { ConditionContext } from "./evaluate-condition.ts";

/**
 * The executor's decisions for one batch of steps, pure: given the claimed runs and what was
 * loaded for them (automation status, definition, field definitions, the contact as the
 * batch's earlier steps left it, condition facts), what each run does next and every row
 * and counter that follows. The executor loads, calls these, and persists the plan.
 */

/** A claimed run, at its version as re-read under the lease. */
export interface StepRun {
  id: number;
  account_id: number;
  automation_id: number;
  version: number;
  contact_id: string;
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  /** The trigger context, JSON. */
  context: string;
}

export interface FieldDef {
  id: number;
  merge_tag: string;
  data_type: FieldDataType;
}

/** What was loaded for one run before deciding. */
export interface StepFacts {
  /** The automation's status (`deleted` once deleted); undefined when it is gone. */
  automation: string | undefined;
  definition: Definition;
  fields: readonly FieldDef[];
  /** Event counts and this run's email engagement (empty unless the run is at a condition). */
  condition: Pick<ConditionContext, "eventCounts" | "engagement">;
}

/** One run's step: what advance decided, with the contact's address when it began. */
export interface RunStep {
  run: StepRun;
  email: string | null;
  effects: Effect[];
  journal: JournalEntry[];
  position: Position | null;
  end: End | null;
}

/** The contact changes of a step, applied to the batch's contact ledger in step order. */
export type ContactEffect = Exclude<Effect, { type: "send_email" }>;

export interface RunAdvance {
  id: number;
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  status: "active" | "completed" | "exited";
  exit_reason: ExitReason | null;
  finished_at: number | null;
  /** Let the lease go (the run waits or ended); a run still ready keeps it for its next step. */
  release: boolean;
}

export interface JournalRow {
  account_id: number;
  run_id: number;
  step_id: string;
  automation_id: number;
  version: number;
  type: string;
  outcome: string;
  detail: string | null;
  at: number;
  completed_at: number | null;
}

/** A message row as a send_email step queues it (the sender fills in the rest). */
export interface MessageRow {
  account_id: number;
  run_id: number;
  step_id: string;
  automation_id: number;
  contact_id: string;
  to_email: string;
  status: "queued" | "skipped";
  email: string;
  context: string;
  created_at: number;
  error: string | null;
  attempts: number;
  next_attempt_at: number | null;
}

/** Delays that ended at one instant: their journal rows become done together. */
export interface DelaysEnded {
  account_id: number;
  step_id: string;
  at: number;
  runIds: number[];
}

/** Where a run stands after the step; `done` when it waits or ended (its lease let go). */
export interface RunState {
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  done: boolean;
}

export interface StepPlan {
  advances: RunAdvance[];
  journal: JournalRow[];
  delaysEnded: DelaysEnded[];
  messages: MessageRow[];
  bumps: Bump[];
  next: Map<number, RunState>;
}

/** The runs whose lease this worker no longer holds (taken over, or ended meanwhile). */
export function fencedOut(
  claimed: readonly { id: number }[],
  fresh: ReadonlyMap<number, { lease_token: string | null; status: string }>,
  token: string,
): number[] {
  return claimed.filter((r) => fresh.get(r.id)?.lease_token !== token || fresh.get(r.id)?.status !== "active").map((r) => r.id);
}

function contactView(contact: ContactState, fields: readonly FieldDef[]): ConditionContext["contact"] {
  const byTag: Record<string, FieldValue> = {};
  for (const d of fields) {
    const v = contact.fields[String(d.id)];
    if (v !== undefined && v !== null) byTag[d.merge_tag] = v;
  }
  return {
    status: contact.status,
    fields: byTag,
    fieldTypes: Object.fromEntries(fields.map((d) => [d.merge_tag, d.data_type])),
    listIds: contact.listIds,
  };
}

function ended(run: StepRun, contact: ContactState | undefined, end: End): RunStep {
  return { run, email: contact?.email ?? null, effects: [], journal: [], position: null, end };
}

/**
 * One step of one run: a run of a disabled or deleted automation, or of a deleted contact,
 * exits; a run past its last step completes; any other takes its next step (`advance`, one
 * step at most) on the contact as the batch's earlier steps left it.
 */
export function stepRun(run: StepRun, facts: StepFacts, contact: ContactState | undefined, now: number): RunStep {
  const status = facts.automation;
  if (status === undefined || status === "deleted" || status === "disabled") {
    return ended(run, contact, { status: "exited", reason: status === "deleted" ? "automation_deleted" : "automation_disabled" });
  }
  if (!contact) return ended(run, contact, { status: "exited", reason: "contact_deleted" });
  if (run.step_id === null) return ended(run, contact, { status: "completed" });
  const context = JSON.parse(run.context) as { event?: ConditionContext["event"] };
  const ctx: ConditionContext = { contact: contactView(contact, facts.fields), event: context.event ?? null, ...facts.condition, now };
  const t = advance(facts.definition, { step_id: run.step_id, phase: run.phase, wake_at: run.wake_at }, ctx, now, 1);
  return { run, email: contact.email, effects: t.effects, journal: t.journal, position: t.position, end: t.end };
}

export function contactEffects(step: RunStep): ContactEffect[] {
  return step.effects.filter((e): e is ContactEffect => e.type !== "send_email");
}

function messageRow(step: RunStep, effect: Extract<Effect, { type: "send_email" }>, now: number): MessageRow {
  const { run } = step;
  return {
    account_id: run.account_id,
    run_id: run.id,
    step_id: effect.stepId,
    automation_id: run.automation_id,
    contact_id: run.contact_id,
    to_email: step.email ?? "",
    status: effect.skipped ? "skipped" : "queued",
    email: JSON.stringify(effect.email),
    context: run.context,
    created_at: now,
    error: effect.skipped ? "contact unsubscribed" : null,
    attempts: 0,
    // The sender takes queued messages from now on; the Message-ID is derived there from (run, step).
    next_attempt_at: effect.skipped ? null : now,
  };
}

function journalRow(run: StepRun, j: JournalEntry): JournalRow {
  return {
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
  };
}

function runAdvance(step: RunStep, now: number): RunAdvance {
  const { position, end } = step;
  return {
    id: step.run.id,
    step_id: position?.step_id ?? null,
    phase: position?.phase ?? "ready",
    wake_at: position?.wake_at ?? null,
    status: end ? end.status : "active",
    exit_reason: end?.status === "exited" ? end.reason : null,
    finished_at: end !== null ? now : null,
    release: end !== null || position?.phase === "waiting",
  };
}

/** Delays that ended: one statement per (account, step, time), not one per run. */
function groupDelaysEnded(waited: readonly { account_id: number; run_id: number; step_id: string; at: number }[]): DelaysEnded[] {
  const groups = new Map<string, DelaysEnded>();
  for (const w of waited) {
    const key = `${w.account_id}\u0000${w.step_id}\u0000${w.at}`;
    const group = groups.get(key) ?? { account_id: w.account_id, step_id: w.step_id, at: w.at, runIds: [] };
    group.runIds.push(w.run_id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The counters a step moves: a step entered (and completed unless it waits), an email skipped, a run ended. */
function stepBumps(step: RunStep, woke: boolean, now: number): Bump[] {
  const { run } = step;
  const at = (step_id: string) => ({ account_id: run.account_id, automation_id: run.automation_id, step_id, at: now });
  const bumps: Bump[] = [];
  for (const j of step.journal) {
    if (j.outcome !== "waited") bumps.push({ ...at(j.step_id), metric: "entered" });
    if (j.outcome !== "waiting") bumps.push({ ...at(j.step_id), metric: "completed" });
    if (j.type === "condition" && (j.outcome === "yes" || j.outcome === "no"))
      bumps.push({ ...at(j.step_id), metric: j.outcome === "yes" ? "branch:yes" : "branch:no" });
  }
  for (const e of step.effects) if (e.type === "send_email" && e.skipped) bumps.push({ ...at(e.stepId), metric: "email:skipped" });
  if (step.end) {
    bumps.push({ ...at(""), metric: step.end.status === "exited" ? exitedCounter(step.end.reason) : "completed" });
    // Leaving from inside a delay (disabled, contact gone) abandons that step.
    if (run.phase === "waiting" && run.step_id !== null && !woke) bumps.push({ ...at(run.step_id), metric: "abandoned" });
  }
  return bumps;
}

/** Every row and counter of a batch of steps, in the order the runs were stepped. */
export function planSteps(steps: readonly RunStep[], now: number): StepPlan {
  const plan: StepPlan = { advances: [], journal: [], delaysEnded: [], messages: [], bumps: [], next: new Map() };
  const waited: { account_id: number; run_id: number; step_id: string; at: number }[] = [];
  for (const step of steps) {
    const { run } = step;
    for (const e of step.effects) if (e.type === "send_email") plan.messages.push(messageRow(step, e, now));
    let woke = false;
    for (const j of step.journal) {
      if (j.outcome === "waited") {
        woke = true;
        waited.push({ account_id: run.account_id, run_id: run.id, step_id: j.step_id, at: j.at });
      } else plan.journal.push(journalRow(run, j));
    }
    const adv = runAdvance(step, now);
    plan.advances.push(adv);
    plan.next.set(run.id, { step_id: adv.step_id, phase: adv.phase, wake_at: adv.wake_at, done: adv.release });
    plan.bumps.push(...stepBumps(step, woke, now));
  }
  plan.delaysEnded = groupDelaysEnded(waited);
  return plan;
}
