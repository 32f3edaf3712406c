import type { Definition, Step } from "../../../../src/core/flow/schema.ts";
import { EXIT, immediatePostDominators } from "./post-dominators.ts";
import { type Port, portsOf, refAt } from "./refs.ts";

/** Sizes of the drawing, in canvas pixels. The report draws taller nodes (they hold figures). */
export interface LayoutSizes {
  nodeWidth: number;
  nodeHeight: number;
  endWidth: number;
  endHeight: number;
  /** Between a node and the next; the "+" of the arrow sits in its middle. */
  vGap: number;
  /** Between two branches side by side. */
  hGap: number;
  /** Width kept for a branch with no step of its own, so its arrow and "+" have a lane. */
  laneWidth: number;
  /** Heights that differ from `nodeHeight`, by step type (the report's email steps hold more figures). */
  heights?: Partial<Record<Step["type"], number>>;
}

export const EDIT_SIZES: LayoutSizes = { nodeWidth: 248, nodeHeight: 92, endWidth: 88, endHeight: 32, vGap: 72, hGap: 40, laneWidth: 120 };
export const REPORT_SIZES: LayoutSizes = { ...EDIT_SIZES, nodeHeight: 84, heights: { send_email: 136, delay: 102 } };

export interface Box {
  id: string;
  kind: "trigger" | "step" | "end";
  /** Centre x and top y. */
  cx: number;
  y: number;
  w: number;
  h: number;
}

interface Lane {
  condition: string;
  port: "yes" | "no";
  x: number;
}

interface Block {
  minX: number;
  maxX: number;
  height: number;
  boxes: Box[];
  lanes: Lane[];
}

export const TRIGGER_NODE = "trigger";
export const stepNodeId = (stepId: string): string => `step:${stepId}`;
export const endNodeId = (source: string, port: Port): string => `end:${source}:${port}`;

function shift(block: Block, dx: number, dy: number): Block {
  return {
    minX: block.minX + dx,
    maxX: block.maxX + dx,
    height: block.height,
    boxes: block.boxes.map((b) => ({ ...b, cx: b.cx + dx, y: b.y + dy })),
    lanes: block.lanes.map((l) => ({ ...l, x: l.x + dx })),
  };
}

export interface Layout {
  boxes: Map<string, Box>;
  /** Centre x of each condition branch's lane, by `${conditionId}:${port}`. */
  lanes: Map<string, number>;
  width: number;
  height: number;
}

/**
 * Depth-first from the entry: the steps it reaches, and for each the steps that lead to it
 * other than by going back up a cycle. A step waits to be placed until all of those are,
 * so it lands below every path into it.
 */
function forwardPredecessors(def: Definition, byId: ReadonlyMap<string, Step>): Map<string, Set<string>> {
  const preds = new Map<string, Set<string>>();
  const state = new Map<string, "open" | "done">();
  const entry = def.entry_step_id ?? null;
  if (entry === null || !byId.has(entry)) return preds;
  const stack: { id: string; refs: string[] }[] = [];
  const open = (id: string) => {
    state.set(id, "open");
    preds.set(id, preds.get(id) ?? new Set());
    const step = byId.get(id)!;
    stack.push({
      id,
      refs: portsOf(step)
        .map((p) => refAt(step, p) ?? null)
        .filter((r): r is string => r !== null && byId.has(r)),
    });
  };
  open(entry);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const ref = top.refs.shift();
    if (ref === undefined) {
      state.set(top.id, "done");
      stack.pop();
      continue;
    }
    if (state.get(ref) === "open") continue; // back edge of a cycle
    const into = preds.get(ref) ?? new Set<string>();
    into.add(top.id);
    preds.set(ref, into);
    if (!state.has(ref)) open(ref);
  }
  return preds;
}

/**
 * A top-down drawing of the definition: the trigger on top, each chain of steps straight
 * down, a condition's Yes branch on the left and No on the right, both rejoining below at
 * the step where their paths meet (the condition's immediate post-dominator), and an Exit
 * end wherever a path ends. Every node is placed once, inside its own rectangle of a
 * recursive block structure, so nodes never overlap; drafts that are not a clean graph
 * (cycles, dangling references, unreachable steps) still draw: unreachable chains stand to
 * the right, and an arrow back to a node already drawn simply points at it.
 */
export function layoutDefinition(def: Definition, sizes: LayoutSizes): Layout {
  const byId = new Map<string, Step>();
  for (const s of def.steps) if (!byId.has(s.id)) byId.set(s.id, s);
  const ipdom = immediatePostDominators([...byId.values()]);
  const preds = forwardPredecessors(def, byId);
  const placed = new Set<string>();
  let waiting = true;
  const mustWait = (id: string) => waiting && [...(preds.get(id) ?? [])].some((p) => !placed.has(p));
  const { nodeWidth: W, nodeHeight: H, vGap, hGap } = sizes;

  function empty(width: number): Block {
    return { minX: -width / 2, maxX: width / 2, height: 0, boxes: [], lanes: [] };
  }

  function chain(start: string | null, stop: string | null, from: { source: string; port: Port } | null): Block {
    const block: Block = { minX: 0, maxX: 0, height: 0, boxes: [], lanes: [] };
    const widen = (min: number, max: number) => {
      block.minX = Math.min(block.minX, min);
      block.maxX = Math.max(block.maxX, max);
    };
    let current = start;
    let source = from;
    for (;;) {
      if (current === null || !byId.has(current)) {
        if (source) {
          block.boxes.push({
            id: endNodeId(source.source, source.port),
            kind: "end",
            cx: 0,
            y: block.height,
            w: sizes.endWidth,
            h: sizes.endHeight,
          });
          widen(-sizes.endWidth / 2, sizes.endWidth / 2);
          block.height += sizes.endHeight;
        }
        return block;
      }
      if (current === stop || placed.has(current) || mustWait(current)) return block;
      const step = byId.get(current)!;
      placed.add(current);
      const h = sizes.heights?.[step.type] ?? H;
      block.boxes.push({ id: stepNodeId(current), kind: "step", cx: 0, y: block.height, w: W, h });
      widen(-W / 2, W / 2);
      block.height += h + vGap;
      if (step.type !== "condition") {
        source = { source: current, port: "next" };
        current = step.next ?? null;
        continue;
      }
      const join = ipdom.get(current);
      const rejoin = join === undefined || join === EXIT ? null : join;
      const branch = (port: "yes" | "no"): Block => {
        const ref = step[port] ?? null;
        const drawn = ref !== null && ref === rejoin ? empty(sizes.laneWidth) : chain(ref, rejoin, { source: current!, port });
        return drawn.boxes.length === 0 ? empty(sizes.laneWidth) : drawn;
      };
      const yes = branch("yes");
      const no = branch("no");
      const dxYes = -hGap / 2 - yes.maxX;
      const dxNo = hGap / 2 - no.minX;
      for (const [b, dx, port] of [
        [yes, dxYes, "yes"],
        [no, dxNo, "no"],
      ] as const) {
        const moved = shift(b, dx, block.height);
        block.boxes.push(...moved.boxes);
        block.lanes.push(...moved.lanes, { condition: current, port, x: dx });
        widen(moved.minX, moved.maxX);
      }
      // Room below the branches for the arrows that merge into the rejoining step.
      block.height += Math.max(yes.height, no.height) + vGap / 2;
      if (rejoin === null) return block;
      source = null;
      current = rejoin;
    }
  }

  const boxes: Box[] = [{ id: TRIGGER_NODE, kind: "trigger", cx: 0, y: 0, w: W, h: H }];
  const lanes: Lane[] = [];
  const top = H + vGap;
  const main = shift(chain(def.entry_step_id ?? null, null, { source: TRIGGER_NODE, port: "entry" }), 0, top);
  boxes.push(...main.boxes);
  lanes.push(...main.lanes);
  let right = Math.max(main.maxX, W / 2);
  // Steps nothing reaches (and cycles entered from nowhere) stand in chains to the right.
  waiting = false;
  for (const s of byId.values()) {
    if (placed.has(s.id)) continue;
    const orphan = chain(s.id, null, null);
    const moved = shift(orphan, right + hGap * 2 - orphan.minX, top);
    boxes.push(...moved.boxes);
    lanes.push(...moved.lanes);
    right = moved.maxX;
  }
  pushBelowSources(boxes, def, byId, sizes);
  const minX = Math.min(...boxes.map((b) => b.cx - b.w / 2));
  return {
    boxes: new Map(boxes.map((b) => [b.id, { ...b, cx: b.cx - minX }])),
    lanes: new Map(lanes.map((l) => [`${l.condition}:${l.port}`, l.x - minX])),
    width: right - minX,
    height: Math.max(...boxes.map((b) => b.y + b.h)),
  };
}

/**
 * A step whose paths in come from several lanes is placed in the last one's lane, possibly
 * higher than another way in. Going through the boxes in placement order (every source
 * before its targets, back edges of cycles aside), each target moves down as far as its
 * sources moved, and below any source it was not already under. What lies below a box in
 * its lane is always reached from it, so it moves down with it and nothing comes to overlap.
 */
function pushBelowSources(boxes: Box[], def: Definition, byId: ReadonlyMap<string, Step>, sizes: LayoutSizes): void {
  const index = new Map(boxes.map((b, i) => [b.id, i]));
  const original = new Map(boxes.map((b) => [b.id, b.y]));
  const target = (source: string, port: Port, ref: string | null) =>
    ref !== null && byId.has(ref) ? stepNodeId(ref) : endNodeId(source, port);
  for (const [i, box] of boxes.entries()) {
    let targets: string[] = [];
    if (box.kind === "trigger") targets = [target(TRIGGER_NODE, "entry", def.entry_step_id ?? null)];
    if (box.kind === "step") {
      const step = byId.get(box.id.slice("step:".length))!;
      targets = portsOf(step).map((p) => target(step.id, p, refAt(step, p) ?? null));
    }
    for (const id of targets) {
      const j = index.get(id);
      if (j === undefined || j <= i) continue;
      const t = boxes[j]!;
      const before = original.get(id)! - original.get(box.id)!;
      const offset = before > box.h ? Math.max(before, box.h + sizes.vGap) : box.h + sizes.vGap * 1.5;
      t.y = Math.max(t.y, box.y + offset);
    }
  }
}
