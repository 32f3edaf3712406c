import type { Definition, Settings, Step, Trigger } from "../../../../src/core/flow/schema.ts";
import { type Box, EDIT_SIZES, endNodeId, type Layout, layoutDefinition, type LayoutSizes, stepNodeId, TRIGGER_NODE } from "./layout.ts";
import { portsOf, refAt, type RefAt } from "./refs.ts";

export interface Point {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  kind: "trigger" | "step" | "end";
  /** Top-left corner and size on the canvas. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The step as stored (kind "step" only) and its index in the definition's array. */
  step?: Step;
  order?: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The reference this arrow draws, and where a step inserted on it goes. */
  at: RefAt;
  points: Point[];
  /** Where the arrow's "+" button (and a branch's label) sits. */
  button: Point;
  label: "Yes" | "No" | null;
  /** An arrow that goes back up or across (a cycle, a draft's stray reference). */
  jump: boolean;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  meta: { name: string; trigger: Trigger; settings?: Settings; hasEntry: boolean };
}

function dedupe(points: Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y);
}

/**
 * The arrow from `s` to `t` as right-angled segments: down from the source, along the
 * branch's lane for a condition, then down into the target, merging sideways just above it
 * when the target is a rejoin point. An arrow to a node that is not below goes round the
 * drawing's right side.
 */
function route(
  s: Box,
  t: Box,
  laneX: number | undefined,
  layout: Layout,
  sizes: LayoutSizes,
): { points: Point[]; button: Point; jump: boolean } {
  const q = sizes.vGap / 4;
  const sx = s.cx;
  const sy = s.y + s.h;
  const tx = t.cx;
  const ty = t.y;
  const bx = laneX ?? sx;
  const button = { x: bx, y: sy + sizes.vGap / 2 };
  const points: Point[] = [{ x: sx, y: sy }];
  if (bx !== sx) points.push({ x: sx, y: sy + q }, { x: bx, y: sy + q });
  const jump = ty - q <= button.y;
  if (jump) {
    const side = layout.width + sizes.hGap;
    points.push({ x: bx, y: button.y + q }, { x: side, y: button.y + q }, { x: side, y: ty - q }, { x: tx, y: ty - q });
  } else if (tx !== bx) {
    points.push({ x: bx, y: ty - q }, { x: tx, y: ty - q });
  }
  points.push({ x: tx, y: ty });
  return { points: dedupe(points), button, jump };
}

/**
 * Definition → canvas nodes and arrows, laid out top-down (see layout.ts). Pure: the
 * canvas renders the result, `fromGraph` reads the definition back from it.
 */
export function toGraph(def: Definition, sizes: LayoutSizes = EDIT_SIZES): FlowGraph {
  const layout = layoutDefinition(def, sizes);
  const order = new Map<string, number>();
  def.steps.forEach((s, i) => order.has(s.id) || order.set(s.id, i));
  const stepsById = new Map(def.steps.map((s) => [s.id, s] as const).reverse());

  const nodes: GraphNode[] = [];
  for (const box of layout.boxes.values()) {
    const node: GraphNode = { id: box.id, kind: box.kind, x: box.cx - box.w / 2, y: box.y, width: box.w, height: box.h };
    if (box.kind === "step") {
      const stepId = box.id.slice("step:".length);
      node.step = stepsById.get(stepId)!;
      node.order = order.get(stepId)!;
    }
    nodes.push(node);
  }

  const edges: GraphEdge[] = [];
  const connect = (sourceNode: string, at: RefAt, ref: string | null) => {
    const s = layout.boxes.get(sourceNode)!;
    const targetId = ref !== null && stepsById.has(ref) ? stepNodeId(ref) : endNodeId(at.source, at.port);
    const t = layout.boxes.get(targetId);
    if (!t) return;
    const branch = at.port === "yes" || at.port === "no";
    const laneX = branch ? layout.lanes.get(`${at.source}:${at.port}`) : undefined;
    edges.push({
      id: `${sourceNode}:${at.port}`,
      source: sourceNode,
      target: targetId,
      at,
      ...route(s, t, laneX, layout, sizes),
      label: at.port === "yes" ? "Yes" : at.port === "no" ? "No" : null,
    });
  };
  connect(TRIGGER_NODE, { source: TRIGGER_NODE, port: "entry" }, def.entry_step_id ?? null);
  for (const node of nodes) {
    if (!node.step) continue;
    for (const port of portsOf(node.step)) connect(node.id, { source: node.step.id, port }, refAt(node.step, port) ?? null);
  }

  const meta: FlowGraph["meta"] = { name: def.name, trigger: def.trigger, hasEntry: def.entry_step_id !== undefined };
  if (def.settings !== undefined) meta.settings = def.settings;
  return { nodes, edges, width: layout.width, height: layout.height, meta };
}
