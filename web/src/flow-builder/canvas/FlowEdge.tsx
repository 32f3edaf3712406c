import { BaseEdge, type Edge, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { Point } from "../model/to-graph.ts";

export type FlowEdgeData = { points: Point[]; jump: boolean };
export type FlowEdge = Edge<FlowEdgeData, "flow">;

/** Right-angled segments with softly rounded corners. */
function roundedPath(points: Point[], radius = 8): string {
  if (points.length === 0) return "";
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const next = points[i + 1];
    if (!next) {
      d += ` L ${p.x} ${p.y}`;
      break;
    }
    const prev = points[i - 1]!;
    const r = Math.min(radius, Math.hypot(p.x - prev.x, p.y - prev.y) / 2, Math.hypot(next.x - p.x, next.y - p.y) / 2);
    const into = { x: p.x - Math.sign(p.x - prev.x) * r, y: p.y - Math.sign(p.y - prev.y) * r };
    const out = { x: p.x + Math.sign(next.x - p.x) * r, y: p.y + Math.sign(next.y - p.y) * r };
    d += ` L ${into.x} ${into.y} Q ${p.x} ${p.y} ${out.x} ${out.y}`;
  }
  return d;
}

/**
 * The arrow as the layout routed it (see to-graph.ts); React Flow's own anchors are not
 * used, so an arrow runs down its branch's lane and merges just above the step it joins.
 */
export const FlowEdgeView = memo(function FlowEdgeView({ id, data, markerEnd }: EdgeProps<FlowEdge>) {
  if (!data) return null;
  return (
    <BaseEdge
      id={id}
      path={roundedPath(data.points)}
      markerEnd={markerEnd}
      className={data.jump ? "fb-edge-jump" : "fb-edge"}
      interactionWidth={0}
    />
  );
});
