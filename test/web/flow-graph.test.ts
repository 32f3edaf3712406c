import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Definition } from "../../src/core/flow/schema.ts";
import { fromGraph } from "../../web/src/flow-builder/model/from-graph.ts";
import { REPORT_SIZES } from "../../web/src/flow-builder/model/layout.ts";
import { portsOf } from "../../web/src/flow-builder/model/refs.ts";
import { type FlowGraph, type GraphNode, type Point, toGraph } from "../../web/src/flow-builder/model/to-graph.ts";
import { draftDefinition, validDefinition } from "./flow-arbitraries.ts";

const WELCOME: Definition = {
  name: "Welcome series",
  trigger: { type: "contact_created" },
  entry_step_id: "s1",
  steps: [
    { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
    { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
    { id: "s3", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: "s5" },
    { id: "s4", type: "send_email", email: { template_id: 8 }, next: "s6" },
    { id: "s5", type: "add_to_lists", list_ids: [3], next: "s6" },
    { id: "s6", type: "unsubscribe", next: null },
  ],
  settings: { reentry_hours: 24 },
};

function node(graph: FlowGraph, id: string): GraphNode {
  const found = graph.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

function overlaps(a: GraphNode, b: GraphNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether the axis-parallel segment p→q runs through the inside of the node's box. */
function crosses(p: Point, q: Point, n: GraphNode): boolean {
  const [x1, x2] = [Math.min(p.x, q.x), Math.max(p.x, q.x)];
  const [y1, y2] = [Math.min(p.y, q.y), Math.max(p.y, q.y)];
  return x1 < n.x + n.width && x2 > n.x && y1 < n.y + n.height && y2 > n.y;
}

function inside(p: Point, n: GraphNode): boolean {
  return p.x > n.x && p.x < n.x + n.width && p.y > n.y && p.y < n.y + n.height;
}

describe("toGraph draws a definition top-down", () => {
  it("puts the trigger on top, steps in flow order, Yes left of No side by side, the rejoin below both, an Exit at the end", () => {
    const g = toGraph(WELCOME);
    const [trigger, s1, s2, s3, s4, s5, s6] = ["trigger", "step:s1", "step:s2", "step:s3", "step:s4", "step:s5", "step:s6"].map((id) =>
      node(g, id),
    );
    expect(trigger!.y).toBeLessThan(s1!.y);
    expect(s1!.y).toBeLessThan(s2!.y);
    expect(s2!.y).toBeLessThan(s3!.y);
    expect(s4!.y).toBe(s5!.y);
    expect(s4!.x + s4!.width).toBeLessThan(s5!.x);
    expect(s6!.y).toBeGreaterThan(s4!.y + s4!.height);
    const exit = node(g, "end:s6:next");
    expect(exit.kind).toBe("end");
    expect(exit.y).toBeGreaterThan(s6!.y);
    const branches = g.edges.filter((e) => e.source === "step:s3");
    expect(branches.map((e) => [e.label, e.target])).toEqual([
      ["Yes", "step:s4"],
      ["No", "step:s5"],
    ]);
    expect(g.edges.find((e) => e.id === "trigger:entry")?.target).toBe("step:s1");
  });

  it("draws an empty branch as its own lane with a button, and a branch that ends as its own Exit", () => {
    const def: Definition = {
      ...WELCOME,
      steps: [
        { id: "s1", type: "condition", match: "all", rules: [], yes: null, no: "s2" },
        { id: "s2", type: "unsubscribe", next: null },
      ],
    };
    const g = toGraph(def);
    const yes = g.edges.find((e) => e.id === "step:s1:yes")!;
    const no = g.edges.find((e) => e.id === "step:s1:no")!;
    expect(yes.target).toBe("end:s1:yes");
    expect(yes.button.x).toBeLessThan(no.button.x);
    expect(node(g, "end:s1:yes").kind).toBe("end");
  });

  it("draws every step once, never overlapping, whatever a draft holds", () => {
    fc.assert(
      fc.property(draftDefinition({ dangling: true, duplicates: true }), (def) => {
        const g = toGraph(def);
        const stepNodes = g.nodes.filter((n) => n.kind === "step").map((n) => n.step!.id);
        expect(new Set(stepNodes)).toEqual(new Set(def.steps.map((s) => s.id)));
        expect(stepNodes.length).toBe(new Set(stepNodes).size);
        const overlapping = g.nodes.flatMap((a, i) =>
          g.nodes
            .slice(i + 1)
            .filter((b) => overlaps(a, b))
            .map((b) => `${a.id} overlaps ${b.id}`),
        );
        expect(overlapping).toEqual([]);
        const ids = new Set(g.nodes.map((n) => n.id));
        for (const e of g.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
        // One arrow per reference of every drawn step, plus the trigger's.
        const refs = 1 + g.nodes.filter((n) => n.step).reduce((sum, n) => sum + portsOf(n.step!).length, 0);
        expect(g.edges.length).toBe(refs);
      }),
      { numRuns: 300 },
    );
  });

  it("routes the arrows of what the builder makes around every other node, going only down", () => {
    fc.assert(
      fc.property(validDefinition({ earlyEnds: false }), fc.boolean(), (def, report) => {
        const g = toGraph(def, report ? REPORT_SIZES : undefined);
        const problems: string[] = [];
        for (const e of g.edges) {
          if (e.jump) problems.push(`${e.id} jumps`);
          for (let i = 1; i < e.points.length; i++) {
            const [p, q] = [e.points[i - 1]!, e.points[i]!];
            if (p.x !== q.x && p.y !== q.y) problems.push(`${e.id} has a slanted segment`);
            if (q.y < p.y) problems.push(`${e.id} goes up`);
            for (const n of g.nodes)
              if (n.id !== e.source && n.id !== e.target && crosses(p, q, n)) problems.push(`${e.id} crosses ${n.id}`);
          }
          for (const n of g.nodes) if (inside(e.button, n)) problems.push(`button of ${e.id} inside ${n.id}`);
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("draws every arrow of any valid automation going down, into a node below its source", () => {
    fc.assert(
      fc.property(validDefinition({ earlyEnds: true }), (def) => {
        const g = toGraph(def);
        const byId = new Map(g.nodes.map((n) => [n.id, n]));
        const problems: string[] = [];
        for (const e of g.edges) {
          const [s, t] = [byId.get(e.source)!, byId.get(e.target)!];
          if (e.jump || t.y <= s.y + s.height) problems.push(`${e.id} does not go down`);
          for (const n of g.nodes) if (inside(e.button, n)) problems.push(`button of ${e.id} inside ${n.id}`);
        }
        for (let i = 0; i < g.nodes.length; i++)
          for (let j = i + 1; j < g.nodes.length; j++)
            if (overlaps(g.nodes[i]!, g.nodes[j]!)) problems.push(`${g.nodes[i]!.id} overlaps ${g.nodes[j]!.id}`);
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("fromGraph reads the definition back", () => {
  it("fromGraph(toGraph(f)) is f for valid automations", () => {
    fc.assert(
      fc.property(validDefinition({ earlyEnds: true }), (def) => {
        expect(fromGraph(toGraph(def))).toEqual(def);
      }),
      { numRuns: 300 },
    );
  });

  it("fromGraph(toGraph(f)) is f for drafts with cycles, stray steps and missing references", () => {
    fc.assert(
      fc.property(draftDefinition({ dangling: false, duplicates: false }), (def) => {
        expect(fromGraph(toGraph(def))).toEqual(def);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps absent keys absent", () => {
    const def: Definition = { name: "Bare", trigger: { type: "custom_event", event: "signup" }, steps: [{ id: "a", type: "unsubscribe" }] };
    expect(fromGraph(toGraph(def))).toEqual({ ...def, entry_step_id: undefined });
    expect(Object.keys(fromGraph(toGraph(def)))).not.toContain("entry_step_id");
    expect(Object.keys(fromGraph(toGraph(def)).steps[0]!)).not.toContain("next");
  });
});
