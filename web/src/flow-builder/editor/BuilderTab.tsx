import { useCallback, useMemo, useState } from "react";
import type { Definition, StepType } from "../../../../src/core/flow/schema.ts";
import { AddStepMenu } from "../canvas/AddStepMenu.tsx";
import { FlowCanvas } from "../canvas/FlowCanvas.tsx";
import { insertStep } from "../model/insert-step.ts";
import type { IssueMap } from "../model/issues.ts";
import { stepNodeId, TRIGGER_NODE } from "../model/layout.ts";
import type { RefAt } from "../model/refs.ts";
import { StepPanel } from "../panel/StepPanel.tsx";
import type { Names } from "../model/summarize.ts";
import { toGraph } from "../model/to-graph.ts";
import type { CatalogData } from "./use-catalog.ts";

interface Menu {
  at: RefAt;
  label: string;
  anchor: HTMLElement;
}

/** The editable canvas, the add-step menu and the side panel of the selected node. */
export function BuilderTab({
  definition,
  catalog,
  names,
  issues,
  onEdit,
}: {
  definition: Definition;
  catalog: CatalogData | null;
  names: Names;
  issues: IssueMap;
  onEdit: (change: (d: Definition) => Definition) => void;
}) {
  // A new (empty) automation opens on its trigger, the first thing to choose.
  const [selected, setSelected] = useState<string | null>(() => (definition.steps.length === 0 ? TRIGGER_NODE : null));
  const [menu, setMenu] = useState<Menu | null>(null);
  const graph = useMemo(() => toGraph(definition), [definition]);

  // The panel follows the selected node; a deleted step closes it.
  const target = selected === TRIGGER_NODE ? "trigger" : selected?.startsWith("step:") ? selected.slice("step:".length) : null;
  const present = target === "trigger" || (target !== null && definition.steps.some((s) => s.id === target));

  const onAdd = useCallback((at: RefAt, label: string, anchor: HTMLElement) => setMenu({ at, label, anchor }), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const pick = (type: StepType) => {
    if (!menu) return;
    const { definition: next, id } = insertStep(definition, menu.at, type);
    onEdit(() => next);
    setMenu(null);
    setSelected(stepNodeId(id));
  };

  return (
    <div className="fb-builder">
      <FlowCanvas
        graph={graph}
        names={names}
        issues={issues}
        selected={present ? selected : null}
        onSelect={setSelected}
        onAdd={onAdd}
        label="Automation builder canvas"
      />
      {present && target !== null && catalog ? (
        <StepPanel
          definition={definition}
          target={target}
          catalog={catalog}
          issues={issues.get(target) ?? []}
          onChange={(next) => onEdit(() => next)}
          onClose={() => setSelected(null)}
        />
      ) : null}
      {menu ? <AddStepMenu label={menu.label} anchor={menu.anchor} onPick={pick} onClose={closeMenu} /> : null}
    </div>
  );
}
