import { type FieldDataType, parseFieldValue } from "../contacts/field-value.ts";
import { EMAIL_OPERATORS, LIST_OPERATORS, OPERATORS, operatorNeedsValue, PARAM_OPERATORS } from "./operators.ts";
import type { Definition, Rule, Step } from "./schema.ts";
import { senderAddressIssues } from "./sender-addresses.ts";

/** One problem that blocks activation; `step_id` is null for trigger or graph-wide problems. */
export interface Issue {
  step_id: string | null;
  message: string;
}

/** What the account holds, so references can be checked. */
export interface Catalog {
  lists: ReadonlySet<number>;
  /** Field data types by merge tag. */
  fields: ReadonlyMap<string, FieldDataType>;
  templates: ReadonlySet<number>;
}

export function successors(step: Step): string[] {
  const refs = step.type === "condition" ? [step.yes, step.no] : [step.next];
  return refs.filter((r): r is string => typeof r === "string");
}

function checkLists(issues: Issue[], stepId: string | null, ids: readonly number[] | undefined, catalog: Catalog, what: string): void {
  if (!ids || ids.length === 0) {
    issues.push({ step_id: stepId, message: `${what}: choose at least one list` });
    return;
  }
  for (const id of ids) if (!catalog.lists.has(id)) issues.push({ step_id: stepId, message: `${what}: list ${id} does not exist` });
}

function checkValue(issues: Issue[], stepId: string | null, type: FieldDataType, value: unknown, what: string): void {
  if (value === undefined) {
    issues.push({ step_id: stepId, message: `${what}: a value is required` });
    return;
  }
  const parsed = parseFieldValue(type, value);
  if (!parsed.ok) issues.push({ step_id: stepId, message: `${what}: value ${JSON.stringify(value)} is not a valid ${type}` });
}

function checkRule(issues: Issue[], step: Step, rule: Rule, index: number, catalog: Catalog, emailSteps: ReadonlySet<string>, ancestors: ReadonlySet<string>): void {
  const at = `rule ${index + 1}`;
  const op = rule.op ?? "";
  const add = (message: string): void => void issues.push({ step_id: step.id, message: `${at}: ${message}` });
  switch (rule.kind) {
    case "field": {
      const type = rule.field === undefined ? undefined : catalog.fields.get(rule.field);
      if (type === undefined) return add(`field ${JSON.stringify(rule.field ?? "")} does not exist`);
      if (!OPERATORS[type].includes(op)) return add(`operator ${JSON.stringify(op)} does not apply to a ${type} field (use ${OPERATORS[type].join(", ")})`);
      if (!operatorNeedsValue(op)) return;
      if (op === "within_last_days") {
        if (typeof rule.value !== "number" || !Number.isInteger(rule.value) || rule.value < 0) add("within_last_days needs a whole number of days");
        return;
      }
      return checkValue(issues, step.id, type, rule.value, at);
    }
    case "list":
      if (!(LIST_OPERATORS as readonly string[]).includes(op)) add(`operator must be in_list or not_in_list`);
      if (rule.list_id === undefined || !catalog.lists.has(rule.list_id)) add(`list ${rule.list_id ?? "(none)"} does not exist`);
      return;
    case "status":
      if (op !== "eq" && op !== "neq") add("operator must be eq or neq");
      if (rule.value !== "subscribed" && rule.value !== "unsubscribed") add("value must be subscribed or unsubscribed");
      return;
    case "event_param":
      if (!rule.param) add("name the event param");
      if (!PARAM_OPERATORS.includes(op)) add(`operator ${JSON.stringify(op)} is not one of ${PARAM_OPERATORS.join(", ")}`);
      else if (operatorNeedsValue(op) && (rule.value === undefined || rule.value === null)) add("a value is required");
      return;
    case "event_history":
      if (!rule.event) add("name the event");
      if (rule.min_count === undefined) add("min_count is required");
      if (rule.days === undefined) add("days is required");
      return;
    case "email":
      if (!(EMAIL_OPERATORS as readonly string[]).includes(op)) add(`operator must be one of ${EMAIL_OPERATORS.join(", ")}`);
      if (!rule.step_id || !emailSteps.has(rule.step_id)) add(`step ${JSON.stringify(rule.step_id ?? "")} is not a send_email step`);
      else if (!ancestors.has(rule.step_id)) add(`email step ${rule.step_id} does not come before this condition`);
      return;
  }
}

function checkStep(issues: Issue[], step: Step, catalog: Catalog, emailSteps: ReadonlySet<string>, ancestors: ReadonlySet<string>): void {
  const add = (message: string): void => void issues.push({ step_id: step.id, message });
  switch (step.type) {
    case "send_email": {
      const e = step.email;
      if (!e) return add("send_email needs an email (template_id, or subject and html or text)");
      if (e.template_id !== undefined) {
        if (!catalog.templates.has(e.template_id)) add(`template ${e.template_id} does not exist`);
      } else {
        if (!e.subject) add("email needs a subject (or a template_id)");
        if (!e.html && !e.text) add("email needs html or text (or a template_id)");
      }
      return;
    }
    case "update_field": {
      const type = step.field === undefined ? undefined : catalog.fields.get(step.field);
      if (type === undefined) return add(`field ${JSON.stringify(step.field ?? "")} does not exist`);
      if (step.value === null) return; // clears the field
      return checkValue(issues, step.id, type, step.value, `field ${step.field}`);
    }
    case "add_to_lists":
    case "remove_from_lists":
      return checkLists(issues, step.id, step.list_ids, catalog, step.type);
    case "delay":
      if (step.amount === undefined || step.amount < 1) add("delay needs an amount of at least 1");
      if (step.unit === undefined) add("delay needs a unit (minutes, hours, days or weeks)");
      return;
    case "condition":
      if (!step.rules || step.rules.length === 0) add("condition needs at least one rule");
      step.rules?.forEach((r, i) => checkRule(issues, step, r, i, catalog, emailSteps, ancestors));
      return;
    case "unsubscribe":
      return;
  }
}

function checkTrigger(issues: Issue[], def: Definition, catalog: Catalog): void {
  const t = def.trigger;
  const add = (message: string): void => void issues.push({ step_id: null, message: `trigger: ${message}` });
  if (t.type === "contact_field_updated") {
    const type = t.field === undefined ? undefined : catalog.fields.get(t.field);
    if (type === undefined) add(`field ${JSON.stringify(t.field ?? "")} does not exist`);
    else if (t.to !== undefined && t.to !== null && !parseFieldValue(type, t.to).ok) add(`"to" ${JSON.stringify(t.to)} is not a valid ${type}`);
  }
  if (t.type === "contact_added_to_list" || t.type === "contact_removed_from_list") {
    checkLists(issues, null, t.list_ids, catalog, "trigger");
  }
  if (t.type === "custom_event" && !t.event) add("name the event");
}

/**
 * Everything that must hold before an automation may run: ids unique, every reference
 * resolves, no cycle, every step reachable from the entry, complete config per step, and
 * every referenced list / field / template present in the account. Returns all problems.
 */
export function validateDefinition(def: Definition, catalog: Catalog): Issue[] {
  const issues: Issue[] = [];
  checkTrigger(issues, def, catalog);

  const byId = new Map<string, Step>();
  for (const s of def.steps) {
    if (byId.has(s.id)) issues.push({ step_id: s.id, message: `step id ${s.id} is used twice` });
    else byId.set(s.id, s);
  }
  if (def.steps.length === 0) {
    issues.push({ step_id: null, message: "the automation has no steps" });
    return issues;
  }
  const entry = def.entry_step_id ?? null;
  if (entry === null || !byId.has(entry)) issues.push({ step_id: null, message: `entry_step_id ${JSON.stringify(entry)} is not a step` });

  for (const s of def.steps) {
    for (const ref of successors(s)) {
      if (!byId.has(ref)) issues.push({ step_id: s.id, message: `${s.id}: points to ${ref}, which is not a step` });
    }
  }

  // Depth-first from the entry, each step once: back edges are cycles; the reverse
  // post-order is a topological order along which ancestors propagate.
  const state = new Map<string, "open" | "done">();
  const postorder: string[] = [];
  const cyclic = new Set<string>();
  const visit = (id: string) => {
    const step = byId.get(id);
    if (!step || state.get(id) === "done") return;
    if (state.get(id) === "open") {
      cyclic.add(id);
      return;
    }
    state.set(id, "open");
    for (const ref of successors(step)) visit(ref);
    state.set(id, "done");
    postorder.push(id);
  };
  if (entry !== null && byId.has(entry)) visit(entry);
  for (const id of cyclic) issues.push({ step_id: id, message: `${id}: is part of a cycle` });
  for (const s of def.steps) {
    if (!state.has(s.id)) issues.push({ step_id: s.id, message: `${s.id}: cannot be reached from the entry step` });
  }
  const ancestors = new Map<string, Set<string>>(postorder.map((id) => [id, new Set<string>()]));
  for (const id of [...postorder].reverse()) {
    const mine = ancestors.get(id)!;
    for (const ref of successors(byId.get(id)!)) {
      const theirs = ancestors.get(ref);
      if (!theirs || cyclic.size > 0) continue;
      for (const a of mine) theirs.add(a);
      theirs.add(id);
    }
  }

  const emailSteps = new Set(def.steps.filter((s) => s.type === "send_email").map((s) => s.id));
  for (const s of byId.values()) checkStep(issues, s, catalog, emailSteps, ancestors.get(s.id) ?? new Set());
  issues.push(...senderAddressIssues(def));
  return issues.map((i) => (i.step_id !== null && !i.message.startsWith(`${i.step_id}:`) ? { ...i, message: `${i.step_id}: ${i.message}` } : i));
}
