import type { Definition } from "../../../../src/core/flow/schema.ts";
import { reachableIds, redirectRefs } from "./refs.ts";

/**
 * Deletes a step; whatever led to it now leads to its successor. A condition has two, so
 * the caller says which branch stays (`keep`); the other branch's steps that can no longer
 * be reached are deleted with it, so the automation never holds steps nothing leads to.
 */
export function deleteStep(def: Definition, id: string, keep: "yes" | "no" = "yes"): Definition {
  const step = def.steps.find((s) => s.id === id);
  if (!step) return def;
  const successor = (step.type === "condition" ? step[keep] : step.next) ?? null;
  const before = reachableIds(def);
  const rewired = redirectRefs(def, id, successor === id ? null : successor);
  const without = { ...rewired, steps: rewired.steps.filter((s) => s.id !== id) };
  const after = reachableIds(without);
  return { ...without, steps: without.steps.filter((s) => after.has(s.id) || !before.has(s.id)) };
}
