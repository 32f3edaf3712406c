import type { Definition, Step } from "../../../../src/core/flow/schema.ts";
import { nextOf, withRef } from "../../../../src/core/flow/ports.ts";
import { portsOf, redirectRefs, refAt } from "./refs.ts";

/** The steps whose arrows (or the entry) point at `id`, as [source, count]. */
function referrers(def: Definition, id: string): { steps: Step[]; entry: boolean } {
  return {
    steps: def.steps.filter((s) => portsOf(s).some((p) => refAt(s, p) === id)),
    entry: def.entry_step_id === id,
  };
}

/**
 * The pair (first, second) can swap when they form a plain link of a chain: neither is a
 * condition (a condition's branches cannot move past a step), first leads only to second,
 * and nothing else leads to second (else another path would change too).
 */
function swappable(def: Definition, first: Step | undefined, second: Step | undefined): boolean {
  if (!first || !second || first.id === second.id) return false;
  if (first.type === "condition" || second.type === "condition") return false;
  if (first.next !== second.id || second.next === first.id) return false;
  const into = referrers(def, second.id);
  return !into.entry && into.steps.length === 1;
}

function predecessor(def: Definition, id: string): Step | undefined {
  const into = referrers(def, id);
  return !into.entry && into.steps.length === 1 ? into.steps[0] : undefined;
}

function swap(def: Definition, first: Step, second: Step): Definition {
  const after = nextOf(second);
  const redirected = redirectRefs(def, first.id, second.id);
  return {
    ...redirected,
    steps: redirected.steps.map((s) =>
      s.id === second.id ? withRef(s, "next", first.id) : s.id === first.id ? withRef(s, "next", after) : s,
    ),
  };
}

export function canMoveStep(def: Definition, id: string, direction: "up" | "down"): boolean {
  const step = def.steps.find((s) => s.id === id);
  if (!step) return false;
  if (direction === "up") return swappable(def, predecessor(def, id), step);
  return swappable(
    def,
    step,
    def.steps.find((s) => s.id === nextOf(step)),
  );
}

/** Moves a step one place up or down its chain; the definition unchanged when it cannot move. */
export function moveStep(def: Definition, id: string, direction: "up" | "down"): Definition {
  if (!canMoveStep(def, id, direction)) return def;
  const step = def.steps.find((s) => s.id === id)!;
  if (direction === "up") return swap(def, predecessor(def, id)!, step);
  return swap(
    def,
    step,
    def.steps.find((s) => s.id === nextOf(step))!,
  );
}
