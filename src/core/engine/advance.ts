import { type FieldValue, parseFieldValue } from "../contacts/field-value.ts";
import { nextOf } from "../flow/ports.ts";
import { type Definition, type EmailConfig, type Step, type StepOf, unreachable } from "../flow/schema.ts";
import { type ConditionContext, type ConditionOutcome, evaluateCondition } from "./evaluate-condition.ts";
import type { ExitReason } from "./counter-names.ts";

/** What the executor must carry out, as data. */
export type Effect =
  | { type: "send_email"; stepId: string; email: EmailConfig; skipped: boolean }
  | { type: "update_field"; stepId: string; field: string; value: FieldValue }
  | { type: "unsubscribe"; stepId: string }
  | { type: "add_to_lists"; stepId: string; listIds: number[] }
  | { type: "remove_from_lists"; stepId: string; listIds: number[] };

export type Outcome = "done" | "queued" | "skipped" | "waiting" | "waited" | "yes" | "no";

/** One step's record: unique per (run, step), written with the step's effects. */
export interface JournalEntry {
  step_id: string;
  type: Step["type"];
  at: number;
  outcome: Outcome;
  detail?: ConditionOutcome | { wake_at: number };
}

/** Where a live run stands: at a step, either ready to execute it or waiting in it (a delay). */
export interface Position {
  step_id: string;
  phase: "ready" | "waiting";
  wake_at: number | null;
}

export type End = { status: "completed" } | { status: "exited"; reason: ExitReason };

export interface Transition {
  effects: Effect[];
  journal: JournalEntry[];
  /** Where the run waits next; null when it ended. */
  position: Position | null;
  end: End | null;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

export function delayMs(step: Pick<StepOf<"delay">, "amount" | "unit">): number {
  return (step.amount ?? 0) * UNIT_MS[step.unit ?? "minutes"];
}

/**
 * Moves a run forward from `at` as far as it can go at time `now`: actions run one after
 * another, a condition picks a branch on the contact as it is now, a delay stops the run
 * until its wake time. Pure: no I/O, no clock; `ctx.contact` is updated in place as the
 * effects would change it, so later conditions see earlier actions. `maxSteps` stops after
 * that many steps with the run ready at the next one (the executor commits step by step).
 * The end of a delay is not counted: it only records that the wait is over, so it commits
 * with the step that follows it instead of costing a transaction of its own.
 */
export function advance(
  def: Definition,
  at: Position,
  ctx: ConditionContext,
  now: number,
  maxSteps = Number.POSITIVE_INFINITY,
): Transition {
  const steps = new Map(def.steps.map((s) => [s.id, s]));
  const effects: Effect[] = [];
  const journal: JournalEntry[] = [];
  let current: string | null = at.step_id;
  let phase = at.phase;
  let taken = 0;
  const c = ctx.contact;

  // The graph is acyclic once active; the bound only guards a corrupt version.
  for (let guard = 0; guard <= def.steps.length; guard++) {
    if (current === null) return { effects, journal, position: null, end: { status: "completed" } };
    if (taken >= maxSteps) return { effects, journal, position: { step_id: current, phase: "ready", wake_at: now }, end: null };
    const step = steps.get(current);
    if (!step) return { effects, journal, position: null, end: { status: "exited", reason: "step_removed" } };

    if (phase === "waiting") {
      if (at.wake_at !== null && at.wake_at > now) return { effects, journal, position: at, end: null };
      journal.push({ step_id: step.id, type: step.type, at: now, outcome: "waited" });
      current = nextOf(step);
      phase = "ready";
      continue;
    }

    taken++;
    switch (step.type) {
      case "send_email": {
        const skipped = c.status === "unsubscribed";
        effects.push({ type: "send_email", stepId: step.id, email: step.email ?? {}, skipped });
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: skipped ? "skipped" : "queued" });
        break;
      }
      case "update_field": {
        const tag = step.field ?? "";
        const type = c.fieldTypes[tag];
        const parsed = type === undefined ? null : parseFieldValue(type, step.value ?? null);
        const value = parsed?.ok ? parsed.value : null;
        effects.push({ type: "update_field", stepId: step.id, field: tag, value });
        c.fields = { ...c.fields, [tag]: value };
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: "done" });
        break;
      }
      case "unsubscribe":
        effects.push({ type: "unsubscribe", stepId: step.id });
        c.status = "unsubscribed";
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: "done" });
        break;
      case "add_to_lists":
      case "remove_from_lists": {
        const listIds = step.list_ids ?? [];
        effects.push({ type: step.type, stepId: step.id, listIds });
        const lists = new Set(c.listIds);
        for (const id of listIds)
          if (step.type === "add_to_lists") lists.add(id);
          else lists.delete(id);
        c.listIds = [...lists].sort((a, b) => a - b);
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: "done" });
        break;
      }
      case "delay": {
        const wake = now + delayMs(step);
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: "waiting", detail: { wake_at: wake } });
        return { effects, journal, position: { step_id: step.id, phase: "waiting", wake_at: wake }, end: null };
      }
      case "condition": {
        const outcome = evaluateCondition(step, { ...ctx, contact: c });
        journal.push({ step_id: step.id, type: step.type, at: now, outcome: outcome.result ? "yes" : "no", detail: outcome });
        current = (outcome.result ? step.yes : step.no) ?? null;
        continue;
      }
      default:
        return unreachable(step);
    }
    current = nextOf(step);
  }
  return { effects, journal, position: null, end: { status: "exited", reason: "cycle" } };
}
