import { Background, Controls, MarkerType, type NodeChange, Position, ReactFlow, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef } from "react";
import type { Step } from "../../../../src/core/flow/schema.ts";
import { addStepLabel } from "../model/add-labels.ts";
import { FlowEdgeView, type FlowEdge } from "./FlowEdge.tsx";
import { type AddButton, AddStepContext, EndNodeView, type Figure, type FlowNode, StepNodeView, TriggerNodeView } from "./FlowNodes.tsx";
import type { RefAt } from "../model/refs.ts";
import { stepKind } from "../model/step-kinds.ts";
import { type Names, summarizeStep, summarizeTrigger } from "../model/summarize.ts";
import type { FlowGraph, GraphNode } from "../model/to-graph.ts";

const nodeTypes = { trigger: TriggerNodeView, step: StepNodeView, end: EndNodeView };
const edgeTypes = { flow: FlowEdgeView };
const MARKER = { type: MarkerType.ArrowClosed, width: 16, height: 16, color: "#57606a" };

const ARIA = {
  "node.a11yDescription.default": "Press Enter or Space to select a step and open its settings.",
  "node.a11yDescription.keyboardDisabled": "Press Enter or Space to select a step and open its settings.",
};

export interface CanvasProps {
  graph: FlowGraph;
  names: Names;
  /** Problems by step id ("trigger" for the trigger's). */
  issues: ReadonlyMap<string, string[]>;
  /** Editing: the selected node id, and callbacks. Absent on the read-only report. */
  selected?: string | null;
  onSelect?: (nodeId: string | null) => void;
  onAdd?: (at: RefAt, label: string, anchor: HTMLElement) => void;
  /** Report figures of a node (step id, or "trigger"). */
  figures?: (id: string, step: Step | undefined) => Figure[] | null;
  label: string;
}

function buttonsOf(graph: FlowGraph, node: GraphNode): AddButton[] {
  return graph.edges
    .filter((e) => e.source === node.id)
    .map((e) => ({ at: e.at, label: e.label, ariaLabel: addStepLabel(e.at), dx: e.button.x - node.x, dy: e.button.y - node.y }));
}

interface Kept<T> {
  key: string;
  item: T;
}

/** Hands back last render's object for every item whose content is the same. */
function reuseUnchanged<T extends { id: string }>(items: T[], previous: { current: Map<string, Kept<T>> }): T[] {
  const next = new Map<string, Kept<T>>();
  const out = items.map((item) => {
    const key = JSON.stringify(item);
    const before = previous.current.get(item.id);
    const kept = before && before.key === key ? before.item : item;
    next.set(item.id, { key, item: kept });
    return kept;
  });
  previous.current = next;
  return out;
}

function figuresText(figures: Figure[] | null): string {
  return figures ? `; ${figures.map((f) => `${f.label} ${f.value}`).join(", ")}` : "";
}

/**
 * The canvas: React Flow draws the nodes where the pure layout put them (no dragging: the
 * layout is the definition's shape), the arrows as routed, pan / zoom / fit-view controls.
 * Sizes and handle positions are given up front, so nothing waits on measuring the DOM.
 */
export function FlowCanvas({ graph, names, issues, selected = null, onSelect, onAdd, figures, label }: CanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const flowRef = useRef<ReactFlowInstance<FlowNode, FlowEdge> | null>(null);
  const editing = onSelect !== undefined;

  // Nodes and arrows that did not change are handed back as the same objects, so React Flow
  // keeps their internals and re-renders only what an edit or a selection touched.
  const previousNodes = useRef(new Map<string, Kept<FlowNode>>());
  const previousEdges = useRef(new Map<string, Kept<FlowEdge>>());
  const nodes = useMemo<FlowNode[]>(() => {
    // Rules that look at an email name it by subject, so summaries need the other steps.
    const allSteps = graph.nodes.flatMap((n) => (n.step ? [n.step] : []));
    const built = graph.nodes.map((n): FlowNode => {
      const common = {
        id: n.id,
        position: { x: n.x, y: n.y },
        width: n.width,
        height: n.height,
        measured: { width: n.width, height: n.height },
        handles: [
          { type: "target" as const, position: Position.Top, x: n.width / 2, y: 0, width: 1, height: 1 },
          { type: "source" as const, position: Position.Bottom, x: n.width / 2, y: n.height, width: 1, height: 1 },
        ],
        draggable: false,
        connectable: false,
        selected: n.id === selected,
      };
      if (n.kind === "end")
        return { ...common, type: "end", data: {}, selectable: false, focusable: false, ariaLabel: "Exit: the automation ends here" };
      const buttons = onAdd ? buttonsOf(graph, n) : buttonsOf(graph, n).filter((b) => b.label);
      if (n.kind === "trigger") {
        const summary = summarizeTrigger(graph.meta.trigger, names);
        const f = figures?.("trigger", undefined) ?? null;
        const own = issues.get("trigger") ?? [];
        return {
          ...common,
          type: "trigger",
          data: { summary, issues: own, buttons, figures: f },
          selectable: editing,
          focusable: editing || f !== null,
          ariaLabel: `Trigger: ${summary}${own.length ? `; ${own.length} problems` : ""}${figuresText(f)}`,
        };
      }
      const step = n.step!;
      const summary = summarizeStep(step, names, allSteps);
      const own = issues.get(step.id) ?? [];
      const f = figures?.(step.id, step) ?? null;
      return {
        ...common,
        type: "step",
        data: { stepId: step.id, type: step.type, summary, issues: own, buttons, figures: f },
        selectable: editing,
        focusable: true,
        ariaLabel: `Step ${step.id}, ${stepKind(step.type).label}: ${summary}${own.length ? `; ${own.length} problems` : ""}${figuresText(f)}`,
      };
    });
    return reuseUnchanged(built, previousNodes);
  }, [graph, names, issues, selected, onAdd, figures, editing]);

  const edges = useMemo<FlowEdge[]>(
    () =>
      reuseUnchanged(
        graph.edges.map((e): FlowEdge => ({
          id: e.id,
          source: e.source,
          target: e.target,
          type: "flow",
          data: { points: e.points, jump: e.jump },
          markerEnd: MARKER,
          selectable: false,
          focusable: false,
        })),
        previousEdges,
      ),
    [graph],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      for (const c of changes) if (c.type === "select" && c.selected) onSelect?.(c.id);
    },
    [onSelect],
  );

  // Small automations fit the view; tall ones open at a readable zoom, top first.
  const onInit = useCallback(
    (flow: ReactFlowInstance<FlowNode, FlowEdge>) => {
      flowRef.current = flow;
      const box = container.current?.getBoundingClientRect();
      if (!box) return;
      const fit = Math.min(box.width / (graph.width + 80), box.height / (graph.height + 80));
      if (fit >= 0.6) {
        void flow.fitView({ padding: 0.08, maxZoom: 1 });
        return;
      }
      const zoom = Math.max(0.4, Math.min(0.85, box.width / (graph.width + 80)));
      void flow.setViewport({ x: box.width / 2 - (graph.width / 2) * zoom, y: 24, zoom });
    },
    // Only the first drawing sets the view; later edits keep where the user panned to.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the graph of the first drawing, on purpose
    [],
  );

  // The canvas narrows when the side panel opens (and widens when it closes): the drawing
  // keeps its place relative to the middle, so opening a panel never pushes it out of view.
  useEffect(() => {
    const el = container.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let width = el.getBoundingClientRect().width;
    const observer = new ResizeObserver(() => {
      const next = el.getBoundingClientRect().width;
      const flow = flowRef.current;
      if (flow && next > 0 && width > 0 && next !== width) {
        const { x, y, zoom } = flow.getViewport();
        void flow.setViewport({ x: x + (next - width) / 2, y, zoom });
      }
      width = next;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A node selected out of view (a step just inserted) is brought into it; only when the
  // selection changes, so typing in the panel never moves the view.
  useEffect(() => {
    const flow = flowRef.current;
    const box = container.current?.getBoundingClientRect();
    const node = graph.nodes.find((n) => n.id === selected);
    if (!flow || !box || !node) return;
    const { x, y, zoom } = flow.getViewport();
    const left = node.x * zoom + x;
    const top = node.y * zoom + y;
    // The arrows' "+" below the node must be in view too, so the next step can be added.
    const below = 110 * zoom;
    if (left >= 0 && top >= 0 && left + node.width * zoom <= box.width && top + node.height * zoom + below <= box.height) return;
    void flow.setCenter(node.x + node.width / 2, node.y + node.height / 2 + 60, { zoom, duration: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a new selection only, never while the graph changes
  }, [selected]);

  return (
    <div className="fb-canvas" ref={container} role="region" aria-label={label}>
      <AddStepContext.Provider value={onAdd ?? null}>
        <ReactFlow<FlowNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onPaneClick={editing ? () => onSelect?.(null) : undefined}
          onInit={onInit}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={editing}
          edgesFocusable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          zoomOnDoubleClick={false}
          minZoom={0.1}
          maxZoom={2}
          ariaLabelConfig={ARIA}
        >
          <Background gap={24} color="#d0d7de" />
          <Controls showInteractive={false} position="top-left" />
        </ReactFlow>
      </AddStepContext.Provider>
    </div>
  );
}
