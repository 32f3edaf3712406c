import type { Operator } from "./operators.ts";
import type { Rule, Step, StepType, Trigger } from "./schema.ts";
import { unreachable } from "./unreachable.ts";

/**
 * One-line descriptions of steps, rules and triggers, for the builder's nodes and for the
 * validation messages that name a step by what it does.
 */

/** Names of what the account holds, for sentences such as "Send “Welcome”". */
export interface Names {
  template(id: number): string | undefined;
  list(id: number): string | undefined;
  /** The field's display name by merge tag. */
  field(mergeTag: string): string | undefined;
}

export const NO_NAMES: Names = { template: () => undefined, list: () => undefined, field: () => undefined };

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: "equals",
  neq: "does not equal",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  is_set: "is set",
  is_not_set: "is not set",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  before: "is before",
  after: "is after",
  within_last_days: "is within the last",
  in_list: "is in list",
  not_in_list: "is not in list",
  opened: "opened",
  not_opened: "did not open",
  clicked: "clicked",
  not_clicked: "did not click",
};

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

export function quoted(s: string): string {
  return `“${s}”`;
}

function listNames(ids: readonly number[] | undefined, names: Names): string {
  if (!ids || ids.length === 0) return "(choose lists)";
  return ids.map((id) => names.list(id) ?? `list #${id}`).join(", ");
}

function fieldName(tag: string | undefined, names: Names): string {
  if (!tag) return "(choose a field)";
  return names.field(tag) ?? tag;
}

function value(v: unknown): string {
  return v === undefined || v === null || v === "" ? "(value)" : String(v);
}

function opLabel(op: Operator | undefined): string {
  return op === undefined ? "(operator)" : OPERATOR_LABELS[op];
}

/**
 * A step as a marketer would point at it: by its email's subject or template, or by what it
 * does (`the “Wait 2 days” delay`); a step with nothing set yet by its kind, counted when
 * there are several (`the 2nd delay`). `steps` is the definition the step belongs to.
 */
export function stepName(step: Step, names: Names, steps: readonly Step[] = [step]): string {
  const noun = STEP_NOUNS[step.type];
  switch (step.type) {
    case "send_email": {
      const e = step.email;
      if (e?.template_id !== undefined) {
        const name = names.template(e.template_id);
        if (name) return `the email ${quoted(name)}`;
      } else if (e?.subject) return `the email ${quoted(e.subject)}`;
      break;
    }
    case "delay":
      if (step.amount !== undefined && step.amount > 0 && step.unit !== undefined) return `the ${quoted(summarizeStep(step, names))} delay`;
      break;
    case "condition": {
      // Named by its rule when that reads as a short phrase (no quotes of its own inside).
      const summary = step.rules?.length === 1 ? summarizeStep(step, names, steps) : "";
      if (summary !== "" && !/[“”]/.test(summary)) return `the condition ${quoted(summary)}`;
      break;
    }
    case "update_field":
      if (step.field) return `the ${quoted(summarizeStep(step, names))} step`;
      break;
    case "add_to_lists":
    case "remove_from_lists":
      if (step.list_ids !== undefined && step.list_ids.length > 0) return `the ${quoted(summarizeStep(step, names))} step`;
      break;
    case "unsubscribe":
      break;
    default:
      return unreachable(step);
  }
  const same = steps.filter((s) => s.type === step.type);
  const index = same.findIndex((s) => s.id === step.id);
  return same.length > 1 && index >= 0 ? `the ${ordinal(index + 1)} ${noun}` : `the ${noun}`;
}

/** What each kind of step is called in a sentence. */
const STEP_NOUNS: Record<StepType, string> = {
  send_email: "email step",
  update_field: "field update",
  unsubscribe: "unsubscribe step",
  add_to_lists: "add-to-list step",
  remove_from_lists: "remove-from-list step",
  delay: "delay",
  condition: "condition",
};

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** A sentence's first letter in capitals. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function describeRule(rule: Rule, names: Names, steps: readonly Step[] = []): string {
  const op = rule.kind === "event_history" ? undefined : rule.op;
  const needsValue = op !== "is_set" && op !== "is_not_set";
  switch (rule.kind) {
    case "field":
      if (op === "within_last_days") return `${fieldName(rule.field, names)} is within the last ${value(rule.value)} days`;
      return `${fieldName(rule.field, names)} ${opLabel(op)}${needsValue ? ` ${value(rule.value)}` : ""}`;
    case "list":
      return `${op === "not_in_list" ? "not in" : "in"} list ${rule.list_id === undefined ? "(choose a list)" : (names.list(rule.list_id) ?? `#${rule.list_id}`)}`;
    case "status":
      return `${op === "neq" ? "not " : ""}${value(rule.value)}`;
    case "event_param":
      return `event.params.${rule.param || "(param)"} ${opLabel(op)}${needsValue ? ` ${value(rule.value)}` : ""}`;
    case "event_history":
      return `did ${quoted(rule.event || "(event)")} at least ${plural(rule.min_count ?? 1, "time")} in ${plural(rule.days ?? 0, "day")}`;
    case "email":
      if (!rule.step_id) return `${opLabel(op)} the email of (choose a step)`;
      return `${opLabel(op)} ${emailName(rule.step_id, names, steps)}`;
    default:
      return unreachable(rule);
  }
}

/** The email a rule looks at, by subject or template when the step is known. */
export function emailName(stepId: string, names: Names, steps: readonly Step[]): string {
  const step = steps.find((s) => s.id === stepId);
  return step ? stepName(step, names, steps) : `the email of ${stepId}`;
}

/** One line that says what a step does (`steps`: its definition's, to name the emails rules look at). */
export function summarizeStep(step: Step, names: Names, steps: readonly Step[] = []): string {
  switch (step.type) {
    case "send_email": {
      const e = step.email;
      if (e?.template_id !== undefined) return `Send ${quoted(names.template(e.template_id) ?? `template #${e.template_id}`)}`;
      if (e?.subject) return `Send ${quoted(e.subject)}`;
      return "Send an email (choose one)";
    }
    case "update_field":
      if (step.value === null) return `Clear ${fieldName(step.field, names)}`;
      return `Set ${fieldName(step.field, names)} to ${value(step.value)}`;
    case "add_to_lists":
      return `Add to ${listNames(step.list_ids, names)}`;
    case "remove_from_lists":
      return `Remove from ${listNames(step.list_ids, names)}`;
    case "unsubscribe":
      return "Unsubscribe the contact";
    case "delay": {
      const unit = (step.unit ?? "day").replace(/s$/, "");
      return `Wait ${plural(step.amount ?? 0, unit)}`;
    }
    case "condition": {
      const rules = step.rules ?? [];
      if (rules.length === 0) return "If … (add a rule)";
      const first = describeRule(rules[0]!, names, steps);
      const more = rules.length > 1 ? ` ${step.match === "any" ? "or" : "and"} ${rules.length - 1} more` : "";
      return `If ${first}${more}`;
    }
    default:
      return unreachable(step);
  }
}

export function summarizeTrigger(trigger: Trigger, names: Names): string {
  switch (trigger.type) {
    case "contact_created":
      return "When a contact is created";
    case "contact_field_updated": {
      const to = trigger.to === undefined || trigger.to === null ? "" : ` to ${String(trigger.to)}`;
      return `When ${fieldName(trigger.field, names)} changes${to}`;
    }
    case "contact_added_to_list":
      return `When added to ${listNames(trigger.list_ids, names)}`;
    case "contact_removed_from_list":
      return `When removed from ${listNames(trigger.list_ids, names)}`;
    case "custom_event":
      return `When event ${quoted(trigger.event || "(name)")} happens`;
    default:
      return unreachable(trigger.type);
  }
}
