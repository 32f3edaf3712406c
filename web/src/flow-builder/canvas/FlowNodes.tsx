import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { createContext, memo, useContext } from "react";
import type { StepType } from "../../../../src/core/flow/schema.ts";
import type { RefAt } from "../model/refs.ts";
import { stepKind } from "../model/step-kinds.ts";

/** A "+" on an arrow leaving this node, placed relative to the node's top-left corner. */
export interface AddButton {
  at: RefAt;
  label: "Yes" | "No" | null;
  ariaLabel: string;
  dx: number;
  dy: number;
}

export interface Figure {
  key: string;
  label: string;
  value: string;
}

export type TriggerNodeData = { summary: string; issues: string[]; buttons: AddButton[]; figures: Figure[] | null };
export type StepNodeData = {
  stepId: string;
  type: StepType;
  summary: string;
  issues: string[];
  buttons: AddButton[];
  figures: Figure[] | null;
};
export type TriggerNode = Node<TriggerNodeData, "trigger">;
export type StepNode = Node<StepNodeData, "step">;
export type EndNode = Node<Record<string, never>, "end">;
export type FlowNode = TriggerNode | StepNode | EndNode;

/** Opens the add-step menu for an arrow; null on the read-only report canvas. */
export const AddStepContext = createContext<((at: RefAt, label: string, anchor: HTMLElement) => void) | null>(null);

function AddButtons({ buttons }: { buttons: AddButton[] }) {
  const onAdd = useContext(AddStepContext);
  return buttons.map((b) => (
    <div key={b.ariaLabel} className={onAdd ? "fb-add fb-add-edit" : "fb-add"} style={{ left: b.dx, top: b.dy }}>
      {onAdd ? (
        <button
          type="button"
          className="fb-add-button nodrag nopan nokey"
          aria-label={b.ariaLabel}
          title={b.ariaLabel}
          onClick={(event) => {
            // The node around the button must not take the click as a selection.
            event.stopPropagation();
            onAdd(b.at, b.ariaLabel, event.currentTarget);
          }}
        >
          +
        </button>
      ) : null}
      {b.label ? <span className={`fb-branch-label fb-branch-${b.label.toLowerCase()}`}>{b.label}</span> : null}
    </div>
  ));
}

function Issues({ issues }: { issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <div className="fb-issues" title={issues.join("\n")}>
      <span className="fb-issue-badge">{issues.length === 1 ? "1 problem" : `${issues.length} problems`}</span>{" "}
      <span className="fb-issue-text">{issues.join(" · ")}</span>
    </div>
  );
}

function Figures({ id, figures }: { id: string; figures: Figure[] | null }) {
  if (!figures) return null;
  return (
    <ul className="fb-figures">
      {figures.map((f) => (
        <li key={f.key} data-testid={`figure-${id}-${f.key}`}>
          {f.label} <strong>{f.value}</strong>
        </li>
      ))}
    </ul>
  );
}

export const TriggerNodeView = memo(function TriggerNodeView({ data, selected }: NodeProps<TriggerNode>) {
  return (
    <div
      className={`fb-node fb-node-trigger${data.issues.length ? " fb-node-invalid" : ""}${selected ? " fb-node-selected" : ""}`}
      data-testid="flow-node-trigger"
    >
      <div className="fb-node-head">
        <span className="fb-node-icon" aria-hidden="true">
          ⚡
        </span>
        <span className="fb-node-type">Trigger</span>
      </div>
      <p className="fb-node-summary">{data.summary}</p>
      <Issues issues={data.issues} />
      <Figures id="trigger" figures={data.figures} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="fb-handle" />
      <AddButtons buttons={data.buttons} />
    </div>
  );
});

export const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const kind = stepKind(data.type);
  return (
    <div
      className={`fb-node fb-node-${data.type}${data.issues.length ? " fb-node-invalid" : ""}${selected ? " fb-node-selected" : ""}`}
      data-testid={`flow-node-${data.stepId}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="fb-handle" />
      <div className="fb-node-head">
        <span className="fb-node-icon" aria-hidden="true">
          {kind.icon}
        </span>
        <span className="fb-node-type">{kind.label}</span>
        <span className="fb-node-id">{data.stepId}</span>
      </div>
      <p className="fb-node-summary">{data.summary}</p>
      <Issues issues={data.issues} />
      <Figures id={data.stepId} figures={data.figures} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="fb-handle" />
      <AddButtons buttons={data.buttons} />
    </div>
  );
});

export const EndNodeView = memo(function EndNodeView() {
  return (
    <div className="fb-end">
      <Handle type="target" position={Position.Top} isConnectable={false} className="fb-handle" />
      Exit
    </div>
  );
});
