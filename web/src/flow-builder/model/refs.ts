import { type Port as StepPort, portsOf, refAt, withRef } from "../../../../src/core/flow/ports.ts";
import type { Definition } from "../../../../src/core/flow/schema.ts";

export { portsOf, refAt };

/**
 * Where an arrow leaves from: the trigger's entry, a step's `next`, or a condition's `yes` /
 * `no`. Every edit and every edge of the canvas names its place by one of these.
 */
export type Port = "entry" | StepPort;
export interface RefAt {
  /** A step id, or "trigger" with port "entry". */
  source: string;
  port: Port;
}

/** The step a reference points at (null: the automation ends there). */
export function readRef(def: Definition, at: RefAt): string | null {
  if (at.port === "entry") return def.entry_step_id ?? null;
  const step = def.steps.find((s) => s.id === at.source);
  return (step && refAt(step, at.port)) ?? null;
}

export function writeRef(def: Definition, at: RefAt, to: string | null): Definition {
  if (at.port === "entry") return { ...def, entry_step_id: to };
  const port = at.port;
  return { ...def, steps: def.steps.map((s) => (s.id === at.source ? withRef(s, port, to) : s)) };
}

/** Every reference to `from` (the entry and each step's ports) now points at `to`. */
export function redirectRefs(def: Definition, from: string, to: string | null): Definition {
  return {
    ...def,
    entry_step_id: def.entry_step_id === from ? to : def.entry_step_id,
    steps: def.steps.map((s) => {
      let out = s;
      for (const port of portsOf(s)) if (refAt(s, port) === from) out = withRef(out, port, to);
      return out;
    }),
  };
}

/** The ids reachable from the entry, following only references that resolve. */
export function reachableIds(def: Definition): Set<string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [def.entry_step_id ?? null];
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === null || id === undefined || seen.has(id)) continue;
    const step = byId.get(id);
    if (!step) continue;
    seen.add(id);
    for (const port of portsOf(step)) stack.push(refAt(step, port) ?? null);
  }
  return seen;
}

/** `s<n>` one above the highest numbered id in use: short, readable, never reused in this definition. */
export function freshStepId(def: Definition): string {
  const used = new Set(def.steps.map((s) => s.id));
  let n = 0;
  for (const id of used) {
    const m = /^s(\d{1,9})$/.exec(id);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let id = `s${n + 1}`;
  while (used.has(id)) id = `s${++n + 1}`;
  return id;
}
