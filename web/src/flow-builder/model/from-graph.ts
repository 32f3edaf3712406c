import type { Definition, Step } from "../../../../src/core/flow/schema.ts";
import { withRef } from "../../../../src/core/flow/ports.ts";
import { portsOf, refAt } from "./refs.ts";
import type { FlowGraph } from "./to-graph.ts";

/**
 * Canvas graph → definition: each step node's stored step, its references read from the
 * arrows (an arrow into an Exit end is null). `fromGraph(toGraph(f))` is `f` for every
 * definition whose ids are unique and whose references all name a step or null.
 */
export function fromGraph(graph: FlowGraph): Definition {
  const stepOf = new Map(graph.nodes.filter((n) => n.step).map((n) => [n.id, n.step!.id]));
  const target = (edgeId: string): string | null | undefined => {
    const edge = graph.edges.find((e) => e.id === edgeId);
    return edge === undefined ? undefined : (stepOf.get(edge.target) ?? null);
  };
  const steps = graph.nodes
    .filter((n) => n.step)
    .sort((a, b) => a.order! - b.order!)
    .map((n) => {
      let step: Step = { ...n.step! };
      for (const port of portsOf(step)) {
        const to = target(`${n.id}:${port}`);
        if (to === undefined || (to === null && refAt(step, port) === undefined)) continue;
        step = withRef(step, port, to);
      }
      return step;
    });
  const def: Definition = { name: graph.meta.name, trigger: graph.meta.trigger, steps };
  const entry = target("trigger:entry") ?? null;
  if (graph.meta.hasEntry || entry !== null) def.entry_step_id = entry;
  if (graph.meta.settings !== undefined) def.settings = graph.meta.settings;
  return def;
}
