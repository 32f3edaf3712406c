import type { Step } from "../../../../src/core/flow/schema.ts";
import { portsOf, refAt } from "./refs.ts";

/** The virtual end every path reaches; a reference that is null or names no step leads there. */
export const EXIT = "\u0000exit";

/**
 * The immediate post-dominator of each step: the first step every path from it must pass
 * through on its way out (EXIT when the paths only meet at the end). For a condition that
 * is where its branches rejoin, which is what the layout needs. Steps that cannot reach the
 * end at all (caught in a cycle) are absent. Cooper, Harvey & Kennedy's iterative algorithm,
 * run on the reversed graph.
 */
export function immediatePostDominators(steps: readonly Step[]): Map<string, string> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>([[EXIT, []]]);
  for (const s of byId.values()) predecessors.set(s.id, []);
  for (const s of byId.values()) {
    const out = [
      ...new Set(
        portsOf(s)
          .map((p) => refAt(s, p) ?? null)
          .map((r) => (r !== null && byId.has(r) ? r : EXIT)),
      ),
    ];
    successors.set(s.id, out);
    for (const t of out) predecessors.get(t)!.push(s.id);
  }

  // Post-order of the reversed graph from EXIT (iterative: long chains must not overflow the stack).
  const order: string[] = [];
  const seen = new Set<string>([EXIT]);
  const stack: { id: string; next: number }[] = [{ id: EXIT, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const preds = predecessors.get(top.id)!;
    if (top.next < preds.length) {
      const p = preds[top.next++]!;
      if (!seen.has(p)) {
        seen.add(p);
        stack.push({ id: p, next: 0 });
      }
    } else {
      order.push(top.id);
      stack.pop();
    }
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const idom = new Map<string, string>([[EXIT, EXIT]]);
  const intersect = (a: string, b: string): string => {
    let x = a;
    let y = b;
    while (x !== y) {
      while (rank.get(x)! < rank.get(y)!) x = idom.get(x)!;
      while (rank.get(y)! < rank.get(x)!) y = idom.get(y)!;
    }
    return x;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = order.length - 2; i >= 0; i--) {
      const id = order[i]!;
      let candidate: string | undefined;
      for (const s of successors.get(id)!) {
        if (!idom.has(s)) continue;
        candidate = candidate === undefined ? s : intersect(s, candidate);
      }
      if (candidate !== undefined && idom.get(id) !== candidate) {
        idom.set(id, candidate);
        changed = true;
      }
    }
  }
  idom.delete(EXIT);
  return idom;
}
