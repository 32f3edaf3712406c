import { type FieldDataType, parseFieldValue } from "../contacts/field-value.ts";
import { capitalize, emailName, type Names, NO_NAMES, OPERATOR_LABELS, quoted, stepName } from "./describe.ts";
import {
  EMAIL_OPERATORS,
  isOneOf,
  LIST_OPERATORS,
  type Operator,
  OPERATORS,
  operatorNeedsValue,
  PARAM_OPERATORS,
  STATUS_OPERATORS,
} from "./operators.ts";
import { successors } from "./ports.ts";
export { issueText } from "./issue-text.ts";
import { type Definition, type Rule, type Step, unreachable } from "./schema.ts";
import { senderAddressIssues } from "./sender-addresses.ts";

/**
 * One problem that blocks activation; `step_id` is null for trigger or graph-wide problems.
 * `message` is what the API answers: `"<step id>: <sentence>"`, `"trigger: <sentence>"`, or
 * the sentence alone for the whole automation. The id keeps the message machine-addressable;
 * the sentence names steps the way the builder shows them (by subject or what they do), so
 * `issueText` of it is what a marketer reads.
 */
export interface Issue {
  step_id: string | null;
  message: string;
}

/** What the account holds, so references can be checked (and named, when `names` is given). */
export interface Catalog {
  lists: ReadonlySet<number>;
  /** Field data types by merge tag. */
  fields: ReadonlyMap<string, FieldDataType>;
  templates: ReadonlySet<number>;
  names?: Names;
}

const TYPE_WORDS: Record<FieldDataType, string> = {
  text: "text of at most 255 characters",
  integer: "a whole number",
  float: "a number",
  boolean: "true or false",
  date: "a date such as 2026-12-31",
};

function shown(v: unknown): string {
  return typeof v === "string" ? quoted(v) : JSON.stringify(v);
}

function or(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function ops(list: readonly Operator[]): string {
  return or(list.map((op) => quoted(OPERATOR_LABELS[op])));
}

function fits(type: FieldDataType, value: unknown): boolean {
  return parseFieldValue(type, value).ok;
}

interface Ctx {
  catalog: Catalog;
  names: Names;
  steps: readonly Step[];
  emailSteps: ReadonlySet<string>;
}

function fieldLabel(tag: string, ctx: Ctx): string {
  return `the field ${quoted(ctx.names.field(tag) ?? tag)}`;
}

/** Lists a step or the trigger uses: at least one, each still in the account. */
function listProblems(ids: readonly number[] | undefined, ctx: Ctx, who: string): string[] {
  if (!ids || ids.length === 0) return [`${capitalize(who)} needs at least one list: choose which.`];
  return ids
    .filter((id) => !ctx.catalog.lists.has(id))
    .map((id) => `${capitalize(who)} uses a list that no longer exists (#${id}): choose another list.`);
}

function ruleProblems(rule: Rule, ancestors: ReadonlySet<string>, ctx: Ctx): string[] {
  const out: string[] = [];
  const add = (what: string) => void out.push(what);
  switch (rule.kind) {
    case "field": {
      const type = rule.field === undefined ? undefined : ctx.catalog.fields.get(rule.field);
      if (rule.field === undefined || rule.field === "") return ["choose a field to compare"];
      if (type === undefined) return [`${fieldLabel(rule.field, ctx)} does not exist any more; choose another field`];
      const label = fieldLabel(rule.field, ctx);
      if (rule.op === undefined) return [`choose how to compare ${label}`];
      if (!isOneOf(OPERATORS[type], rule.op))
        return [`${quoted(OPERATOR_LABELS[rule.op])} does not apply to ${label} (${TYPE_WORDS[type]}); use ${ops(OPERATORS[type])}`];
      if (!operatorNeedsValue(rule.op)) return [];
      if (rule.op === "within_last_days") {
        if (typeof rule.value !== "number" || !Number.isInteger(rule.value) || rule.value < 0) add("enter a whole number of days");
        return out;
      }
      if (rule.value === undefined) return [`enter the value to compare ${label} with`];
      return fits(type, rule.value) ? [] : [`it compares ${label} with ${shown(rule.value)}, but ${label} holds ${TYPE_WORDS[type]}`];
    }
    case "list":
      if (!isOneOf(LIST_OPERATORS, rule.op)) add(`choose ${ops(LIST_OPERATORS)}`);
      if (rule.list_id === undefined) add("choose a list");
      else if (!ctx.catalog.lists.has(rule.list_id)) add(`the list it looks at no longer exists (#${rule.list_id}); choose another list`);
      return out;
    case "status":
      if (!isOneOf(STATUS_OPERATORS, rule.op)) add(`choose ${ops(STATUS_OPERATORS)}`);
      if (rule.value !== "subscribed" && rule.value !== "unsubscribed") add("choose subscribed or unsubscribed");
      return out;
    case "event_param":
      if (!rule.param) add("name the event param to compare");
      if (!isOneOf(PARAM_OPERATORS, rule.op)) add(`choose how to compare the event param (${ops(PARAM_OPERATORS)})`);
      else if (operatorNeedsValue(rule.op) && (rule.value === undefined || rule.value === null))
        add("enter the value to compare the event param with");
      return out;
    case "event_history":
      if (!rule.event) add("name the event to count");
      if (rule.min_count === undefined) add("say how many times the event must have happened (at least 1)");
      if (rule.days === undefined) add("say over how many days to count the event");
      return out;
    case "email":
      if (!isOneOf(EMAIL_OPERATORS, rule.op)) add(`choose ${ops(EMAIL_OPERATORS)}`);
      if (!rule.step_id) add("choose the email to look at");
      else if (!ctx.emailSteps.has(rule.step_id))
        add("the email it looks at is not a step of this automation any more; choose another email");
      else if (!ancestors.has(rule.step_id))
        add(
          `${emailName(rule.step_id, ctx.names, ctx.steps)} is not sent before this condition, so there is nothing to look at yet; choose an email sent earlier on the way here`,
        );
      return out;
    default:
      return unreachable(rule);
  }
}

function stepProblems(step: Step, ancestors: ReadonlySet<string>, ctx: Ctx): string[] {
  const name = capitalize(stepName(step, ctx.names, ctx.steps));
  switch (step.type) {
    case "send_email": {
      const e = step.email;
      if (!e || (e.template_id === undefined && !e.subject && !e.html && !e.text))
        return [`${name} has no email yet: choose a template, or write a subject and a body.`];
      if (e.template_id !== undefined) {
        return ctx.catalog.templates.has(e.template_id)
          ? []
          : [`${name} uses a template that no longer exists (#${e.template_id}): choose another template.`];
      }
      const out: string[] = [];
      if (!e.subject) out.push(`${name} needs a subject.`);
      if (!e.html && !e.text) out.push(`${name} needs a body: write the text or the HTML.`);
      return out;
    }
    case "update_field": {
      if (!step.field) return [`${name} needs a field to change: choose one.`];
      const type = ctx.catalog.fields.get(step.field);
      if (type === undefined)
        return [`${name} changes ${fieldLabel(step.field, ctx)}, which does not exist any more: choose another field.`];
      if (step.value === null) return []; // clears the field
      if (step.value === undefined) return [`${name} needs the new value of ${fieldLabel(step.field, ctx)} (or choose to clear it).`];
      const label = fieldLabel(step.field, ctx);
      return fits(type, step.value) ? [] : [`${name} sets ${label} to ${shown(step.value)}, but ${label} holds ${TYPE_WORDS[type]}.`];
    }
    case "add_to_lists":
    case "remove_from_lists":
      return listProblems(step.list_ids, ctx, name);
    case "delay": {
      const out: string[] = [];
      if (step.amount === undefined || step.amount < 1)
        out.push(`${name} needs a length: wait at least 1 ${(step.unit ?? "days").replace(/s$/, "")}.`);
      if (step.unit === undefined) out.push(`${name} needs a unit: minutes, hours, days or weeks.`);
      return out;
    }
    case "condition": {
      const rules = step.rules ?? [];
      if (rules.length === 0) return [`${name} needs at least one rule.`];
      return rules.flatMap((r, i) =>
        ruleProblems(r, ancestors, ctx).map((p) => `Rule ${i + 1} of ${stepName(step, ctx.names, ctx.steps)}: ${p}.`),
      );
    }
    case "unsubscribe":
      return [];
    default:
      return unreachable(step);
  }
}

function triggerProblems(def: Definition, ctx: Ctx): string[] {
  const t = def.trigger;
  switch (t.type) {
    case "contact_field_updated": {
      if (!t.field) return ["Choose the field whose change starts the automation."];
      const type = ctx.catalog.fields.get(t.field);
      if (type === undefined)
        return [`The trigger watches ${fieldLabel(t.field, ctx)}, which does not exist any more: choose another field.`];
      if (t.to === undefined || t.to === null) return [];
      const label = fieldLabel(t.field, ctx);
      return fits(type, t.to)
        ? []
        : [`The trigger waits for ${label} to change to ${shown(t.to)}, but ${label} holds ${TYPE_WORDS[type]}.`];
    }
    case "contact_added_to_list":
    case "contact_removed_from_list":
      return listProblems(t.list_ids, ctx, "the trigger");
    case "custom_event":
      return t.event ? [] : ["Name the event that starts the automation."];
    case "contact_created":
      return [];
    default:
      return unreachable(t.type);
  }
}

/**
 * Everything that must hold before an automation may run: ids unique, every reference
 * resolves, no cycle, every step reachable from the entry, complete config per step, and
 * every referenced list / field / template present in the account. Returns all problems.
 */
export function validateDefinition(def: Definition, catalog: Catalog): Issue[] {
  const names = catalog.names ?? NO_NAMES;
  const ctx: Ctx = {
    catalog,
    names,
    steps: def.steps,
    emailSteps: new Set(def.steps.filter((s) => s.type === "send_email").map((s) => s.id)),
  };
  const issues: Issue[] = triggerProblems(def, ctx).map((m) => ({ step_id: null, message: `trigger: ${m}` }));
  const at = (step: Step, sentence: string): Issue => ({ step_id: step.id, message: `${step.id}: ${sentence}` });
  const named = (step: Step) => capitalize(stepName(step, names, def.steps));

  const byId = new Map<string, Step>();
  for (const s of def.steps) {
    if (byId.has(s.id)) issues.push(at(s, `Two steps have the id ${quoted(s.id)}: give each step its own id.`));
    else byId.set(s.id, s);
  }
  if (def.steps.length === 0) {
    issues.push({ step_id: null, message: "The automation has no steps yet: add at least one after the trigger." });
    return issues;
  }
  const entry = def.entry_step_id ?? null;
  if (entry === null || !byId.has(entry))
    issues.push({ step_id: null, message: "The trigger does not lead to any step: connect it to the first step." });

  for (const s of def.steps) {
    for (const ref of successors(s)) {
      if (!byId.has(ref))
        issues.push(
          at(
            s,
            `${named(s)} leads to a step that does not exist (${quoted(ref)}): connect it to another step, or end the automation there.`,
          ),
        );
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
  for (const id of cyclic) {
    const s = byId.get(id)!;
    issues.push(
      at(s, `${named(s)} is reached again from a later step, so contacts would go round in a loop: automations only move forward.`),
    );
  }
  for (const s of def.steps) {
    if (!state.has(s.id)) issues.push(at(s, `${named(s)} cannot be reached: nothing leads to it from the trigger.`));
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

  for (const s of byId.values()) for (const m of stepProblems(s, ancestors.get(s.id) ?? new Set(), ctx)) issues.push(at(s, m));
  issues.push(...senderAddressIssues(def));
  return issues;
}
