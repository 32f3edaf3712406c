import type { Definition, StepType } from "../../../../src/core/flow/schema.ts";
import { newStep } from "./step-kinds.ts";
import { freshStepId, readRef, type RefAt, writeRef } from "./refs.ts";

/**
 * Inserts a new step of `type` on the arrow `at` (after the trigger, after a step, or at the
 * top of a condition's branch): the arrow now leads to the new step, which continues to
 * where the arrow led. Returns the new definition and the new step's id.
 */
export function insertStep(def: Definition, at: RefAt, type: StepType): { definition: Definition; id: string } {
  const id = freshStepId(def);
  const step = newStep(type, id, readRef(def, at));
  const rewired = writeRef(def, at, id);
  // Kept right after its source in the array so the stored JSON reads in flow order.
  const index = at.port === "entry" ? -1 : rewired.steps.findIndex((s) => s.id === at.source);
  const steps = [...rewired.steps];
  steps.splice(index + 1, 0, step);
  return { definition: { ...rewired, steps }, id };
}
