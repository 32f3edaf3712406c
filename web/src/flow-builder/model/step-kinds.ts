import { type Rule, type RuleKind, type Step, type StepType, type Trigger, unreachable } from "../../../../src/core/flow/schema.ts";

/**
 * What the builder knows about each kind of step: its label, icon and the config a new one
 * starts with. Pure data, shared by the canvas, the add menu and the edit operations.
 */
export interface StepKind {
  type: StepType;
  label: string;
  /** A glyph beside the label; decorative (the label carries the meaning). */
  icon: string;
  group: "Actions" | "Rules";
}

/** One entry per step type: a type missing here fails to compile. */
const KINDS: { [K in StepType]: Omit<StepKind, "type"> } = {
  send_email: { label: "Send email", icon: "✉", group: "Actions" },
  update_field: { label: "Update field", icon: "✎", group: "Actions" },
  add_to_lists: { label: "Add to lists", icon: "⊕", group: "Actions" },
  remove_from_lists: { label: "Remove from lists", icon: "⊖", group: "Actions" },
  unsubscribe: { label: "Unsubscribe", icon: "⊘", group: "Actions" },
  delay: { label: "Delay", icon: "◷", group: "Rules" },
  condition: { label: "Condition", icon: "◇", group: "Rules" },
};

/** In the add menu's order. */
export const STEP_KINDS: readonly StepKind[] = (Object.keys(KINDS) as StepType[]).map((type) => ({ type, ...KINDS[type] }));

export function stepKind(type: StepType): StepKind {
  return { type, ...KINDS[type] };
}

export const TRIGGER_LABELS: Record<Trigger["type"], string> = {
  contact_created: "Contact created",
  contact_field_updated: "Field updated",
  contact_added_to_list: "Added to list",
  contact_removed_from_list: "Removed from list",
  custom_event: "Custom event",
};

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  field: "Contact field",
  list: "List membership",
  status: "Subscription status",
  event_param: "Trigger event param",
  event_history: "Event history",
  email: "Email engagement",
};

/** The rule a new condition, or a rule added to one, starts with. */
export function newRule(kind: RuleKind = "field"): Rule {
  switch (kind) {
    case "field":
      return { kind, op: "eq" };
    case "list":
      return { kind, op: "in_list" };
    case "status":
      return { kind, op: "eq", value: "subscribed" };
    case "event_param":
      return { kind, op: "eq" };
    case "event_history":
      return { kind, min_count: 1, days: 30 };
    case "email":
      return { kind, op: "opened" };
    default:
      return unreachable(kind);
  }
}

/**
 * A new step of `type` continuing to `then`. A new condition rejoins at once (both branches
 * lead to what followed), so inserting one never cuts the steps below it off.
 */
export function newStep(type: StepType, id: string, then: string | null): Step {
  switch (type) {
    case "condition":
      return { id, type, match: "all", rules: [newRule()], yes: then, no: then };
    case "delay":
      return { id, type, amount: 1, unit: "days", next: then };
    case "add_to_lists":
    case "remove_from_lists":
      return { id, type, list_ids: [], next: then };
    case "send_email":
    case "update_field":
    case "unsubscribe":
      return { id, type, next: then };
    default:
      return unreachable(type);
  }
}
