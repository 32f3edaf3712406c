import { useEffect, useRef } from "react";
import { type Definition, type Step, unreachable } from "../../../../src/core/flow/schema.ts";
import { ConditionForm } from "./ConditionForm.tsx";
import { deleteStep } from "../model/delete-step.ts";
import { canMoveStep, moveStep } from "../model/move-step.ts";
import { stepKind } from "../model/step-kinds.ts";
import { DelayForm, ListsForm, SendEmailForm, UnsubscribeForm, UpdateFieldForm } from "./StepForms.tsx";
import { TriggerForm } from "./TriggerForm.tsx";
import type { CatalogData } from "../editor/use-catalog.ts";

export interface StepPanelProps {
  definition: Definition;
  /** "trigger" or a step id. */
  target: string;
  catalog: CatalogData;
  issues: string[];
  onChange: (def: Definition) => void;
  onClose: () => void;
}

function StepForm({
  step,
  definition,
  catalog,
  onChange,
}: {
  step: Step;
  definition: Definition;
  catalog: CatalogData;
  onChange: (s: Step) => void;
}) {
  switch (step.type) {
    case "send_email":
      return <SendEmailForm step={step} catalog={catalog} onChange={onChange} />;
    case "update_field":
      return <UpdateFieldForm step={step} catalog={catalog} onChange={onChange} />;
    case "add_to_lists":
    case "remove_from_lists":
      return <ListsForm step={step} catalog={catalog} onChange={onChange} />;
    case "unsubscribe":
      return <UnsubscribeForm />;
    case "delay":
      return <DelayForm step={step} catalog={catalog} onChange={onChange} />;
    case "condition":
      return <ConditionForm step={step} catalog={catalog} onChange={onChange} definition={definition} />;
    default:
      return unreachable(step);
  }
}

/**
 * The side panel of the selected node: its settings, its problems, and (for a step) move
 * up / down its chain and delete. Every change goes straight into the definition.
 */
export function StepPanel({ definition, target, catalog, issues, onChange, onClose }: StepPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const step = target === "trigger" ? undefined : definition.steps.find((s) => s.id === target);
  useEffect(() => heading.current?.focus(), [target]);
  if (target !== "trigger" && !step) return null;

  const title = step ? `${stepKind(step.type).label} · ${step.id}` : "Trigger";
  const replace = (s: Step) => onChange({ ...definition, steps: definition.steps.map((x) => (x.id === s.id ? s : x)) });
  return (
    <aside className="fb-panel" aria-labelledby="fb-panel-title" data-testid="step-panel">
      <div className="fb-panel-head">
        <h2 id="fb-panel-title" ref={heading} tabIndex={-1} data-testid="panel-title" data-step-id={step?.id ?? "trigger"}>
          {title}
        </h2>
        <button type="button" className="button-small" onClick={onClose} aria-label="Close the settings panel">
          Close
        </button>
      </div>
      {issues.length > 0 ? (
        <ul className="fb-panel-issues" aria-label="Problems">
          {issues.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
      <div className="fb-panel-body" key={target}>
        {step ? (
          <StepForm step={step} definition={definition} catalog={catalog} onChange={replace} />
        ) : (
          <TriggerForm definition={definition} catalog={catalog} onChange={onChange} />
        )}
      </div>
      {step ? (
        <div className="fb-panel-actions">
          <button
            type="button"
            disabled={!canMoveStep(definition, step.id, "up")}
            onClick={() => onChange(moveStep(definition, step.id, "up"))}
          >
            Move up
          </button>
          <button
            type="button"
            disabled={!canMoveStep(definition, step.id, "down")}
            onClick={() => onChange(moveStep(definition, step.id, "down"))}
          >
            Move down
          </button>
          {step.type === "condition" ? (
            <>
              <button type="button" className="button-danger" onClick={() => onChange(deleteStep(definition, step.id, "yes"))}>
                Delete, keep Yes branch
              </button>
              <button type="button" className="button-danger" onClick={() => onChange(deleteStep(definition, step.id, "no"))}>
                Delete, keep No branch
              </button>
            </>
          ) : (
            <button type="button" className="button-danger" onClick={() => onChange(deleteStep(definition, step.id))}>
              Delete step
            </button>
          )}
          {step.type === "condition" || !(canMoveStep(definition, step.id, "up") || canMoveStep(definition, step.id, "down")) ? (
            <p className="fb-field-hint">
              Steps move within a straight run of steps; conditions and the steps where branches meet stay in place.
            </p>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
