import { type Step, unreachable } from "./schema.ts";

/**
 * Where a step leads: each way out is a port named by the key that holds its target step
 * id (`next`; a condition's `yes` and `no`). Validation, the engine and the builder's
 * graph all read references through these, so a new step type says its ports here once.
 */
export type Port = "next" | "yes" | "no";

const NEXT: readonly Port[] = ["next"];
const BRANCHES: readonly Port[] = ["yes", "no"];

export function portsOf(step: Step): readonly Port[] {
  switch (step.type) {
    case "send_email":
    case "update_field":
    case "unsubscribe":
    case "add_to_lists":
    case "remove_from_lists":
    case "delay":
      return NEXT;
    case "condition":
      return BRANCHES;
    default:
      return unreachable(step);
  }
}

/** The target of a port: a step id, null (the automation ends there), undefined when unset or not a port of this step. */
export function refAt(step: Step, port: Port): string | null | undefined {
  if (!portsOf(step).includes(port)) return undefined;
  return (step as Partial<Record<Port, string | null>>)[port];
}

/** The step with `port` now leading to `to`; unchanged when the step has no such port. */
export function withRef<S extends Step>(step: S, port: Port, to: string | null): S {
  return portsOf(step).includes(port) ? { ...step, [port]: to } : step;
}

/** The step ids a step leads to, in port order. */
export function successors(step: Step): string[] {
  return portsOf(step)
    .map((p) => refAt(step, p))
    .filter((r): r is string => typeof r === "string");
}

/** Where a run goes after a step that does not choose a branch (a condition has none: null). */
export function nextOf(step: Step): string | null {
  return refAt(step, "next") ?? null;
}
