import type { Step } from "./schema.ts";

/** What a label may look up: a template's name by id (undefined when unknown). */
export interface LabelNames {
  template(id: number): string | undefined;
}

const NONE: LabelNames = { template: () => undefined };

function plural(n: number, unit: string): string {
  const one = unit.replace(/s$/, "");
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

/**
 * The name a marketer knows a step by, never its id: the user's own label when the step
 * has one, otherwise what it does ("Email “Welcome aboard”", "Wait 2 days"). Timelines and
 * the run inspector show it where the journal stores only `s1`…`s6`.
 */
export function stepLabel(step: Step, names: LabelNames = NONE): string {
  const own = (step as { label?: unknown }).label;
  if (typeof own === "string" && own.trim() !== "") return own.trim();
  switch (step.type) {
    case "send_email": {
      const e = step.email;
      const template = e?.template_id === undefined ? undefined : names.template(e.template_id);
      if (e?.subject) return `Email “${e.subject}”`;
      if (template) return `Email “${template}”`;
      return "Email";
    }
    case "delay":
      return `Wait ${plural(step.amount ?? 0, step.unit ?? "days")}`;
    case "condition":
      return "Condition";
    case "update_field":
      return step.field ? `Update field ${step.field}` : "Update a field";
    case "add_to_lists":
      return "Add to lists";
    case "remove_from_lists":
      return "Remove from lists";
    case "unsubscribe":
      return "Unsubscribe";
    default:
      return String((step as { type: unknown }).type).replaceAll("_", " ");
  }
}
