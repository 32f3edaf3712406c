import { type KeyboardEvent, useEffect, useRef } from "react";
import type { StepType } from "../../../../src/core/flow/schema.ts";
import { STEP_KINDS } from "../model/step-kinds.ts";

/**
 * The menu of every action and rule a "+" can insert, as an ARIA menu: it opens next to
 * its button with focus on the first item, arrows move, Enter picks, Escape or a click
 * elsewhere closes and gives focus back to the button.
 */
export function AddStepMenu({
  label,
  anchor,
  onPick,
  onClose,
}: {
  label: string;
  anchor: HTMLElement;
  onPick: (type: StepType) => void;
  onClose: () => void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  const rect = anchor.getBoundingClientRect();

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    const outside = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== anchor) onClose();
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [anchor, onClose]);

  function onKeyDown(event: KeyboardEvent) {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    if (event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(items.length - 1);
    else if (event.key === "Escape" || event.key === "Tab") {
      onClose();
      anchor.focus();
    } else return;
    event.preventDefault();
  }

  const top = Math.min(rect.bottom + 6, window.innerHeight - 330);
  return (
    <div
      ref={menu}
      className="fb-menu"
      role="menu"
      aria-label={label}
      style={{ left: rect.left + rect.width / 2, top: Math.max(8, top) }}
      onKeyDown={onKeyDown}
    >
      {(["Actions", "Rules"] as const).map((group) => (
        <div key={group} role="group" aria-label={group} className="fb-menu-group">
          <span className="fb-menu-heading" aria-hidden="true">
            {group}
          </span>
          {STEP_KINDS.filter((k) => k.group === group).map((k) => (
            <button key={k.type} type="button" role="menuitem" tabIndex={-1} className="fb-menu-item" onClick={() => onPick(k.type)}>
              <span aria-hidden="true" className="fb-menu-icon">
                {k.icon}
              </span>
              {k.label}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
