import { type FieldDataType, type FieldValue, parseFieldValue } from "../contacts/field-value.ts";
import type { ContactStatus } from "../contacts/contact-change.ts";
import { type Rule, type StepOf, unreachable } from "../flow/schema.ts";

const DAY_MS = 86_400_000;

/** What a condition may look at: the contact as it is now, the trigger, and facts the executor gathered. */
export interface ConditionContext {
  contact: {
    status: ContactStatus;
    /** Values keyed by merge tag. */
    fields: Readonly<Record<string, FieldValue>>;
    fieldTypes: Readonly<Record<string, FieldDataType>>;
    listIds: readonly number[];
  };
  event: { name: string; params: Readonly<Record<string, unknown>> } | null;
  /** Count of each event name in the last N days, keyed by `eventCountKey(name, days)`. */
  eventCounts: Readonly<Record<string, number>>;
  /** Engagement with the emails this run sent, keyed by step id. */
  engagement: Readonly<Record<string, { opened: boolean; clicked: boolean }>>;
  now: number;
}

/** Why a rule came out as it did: shown in the journal, the activity and `simulate`. */
export interface RuleOutcome {
  kind: Rule["kind"];
  op: string;
  subject: string;
  actual: unknown;
  expected: unknown;
  result: boolean;
}

export interface ConditionOutcome {
  result: boolean;
  match: "all" | "any";
  rules: RuleOutcome[];
}

export function eventCountKey(name: string, days: number): string {
  return `${days}:${name}`;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

function compareText(op: string, actual: unknown, expected: unknown): boolean {
  if (op === "is_set") return isSet(actual);
  if (op === "is_not_set") return !isSet(actual);
  const negative = op === "neq" || op === "not_contains";
  if (!isSet(actual) || expected === undefined || expected === null) return negative;
  // Marketers type "Pro" and mean "pro": text compares case-insensitively.
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  switch (op) {
    case "eq":
      return a === e;
    case "neq":
      return a !== e;
    case "contains":
      return a.includes(e);
    case "not_contains":
      return !a.includes(e);
    case "starts_with":
      return a.startsWith(e);
    default:
      return false;
  }
}

function compareNumber(op: string, actual: unknown, expected: unknown): boolean {
  if (op === "is_set") return isSet(actual);
  if (op === "is_not_set") return !isSet(actual);
  const a = typeof actual === "number" ? actual : Number.NaN;
  const e = typeof expected === "number" ? expected : Number.NaN;
  if (Number.isNaN(a) || Number.isNaN(e)) return op === "neq";
  switch (op) {
    case "eq":
      return a === e;
    case "neq":
      return a !== e;
    case "gt":
      return a > e;
    case "gte":
      return a >= e;
    case "lt":
      return a < e;
    case "lte":
      return a <= e;
    default:
      return false;
  }
}

function compareBoolean(op: string, actual: unknown, expected: unknown): boolean {
  if (op === "is_set") return isSet(actual);
  if (op === "is_not_set") return !isSet(actual);
  if (typeof actual !== "boolean" || typeof expected !== "boolean") return op === "neq";
  return op === "eq" ? actual === expected : op === "neq" ? actual !== expected : false;
}

function dayOf(v: unknown): number | null {
  if (typeof v !== "string") return null;
  const t = Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

function compareDate(op: string, actual: unknown, expected: unknown, now: number): boolean {
  if (op === "is_set") return isSet(actual);
  if (op === "is_not_set") return !isSet(actual);
  const a = dayOf(actual);
  if (a === null) return false;
  if (op === "within_last_days") {
    if (typeof expected !== "number") return false;
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    return a <= today && a >= today - expected * DAY_MS;
  }
  const e = dayOf(expected);
  if (e === null) return false;
  return op === "eq" ? a === e : op === "before" ? a < e : op === "after" ? a > e : false;
}

/** Compares by the field's declared type; a value of another type never matches (but `neq`). */
export function compareTyped(type: FieldDataType, op: string, actual: unknown, expected: unknown, now: number): boolean {
  const parsed = expected === undefined || expected === null || op === "within_last_days" ? null : parseFieldValue(type, expected);
  const e = parsed === null ? expected : parsed.ok ? parsed.value : Symbol.for("mismatch");
  if (typeof e === "symbol") return op === "neq" || op === "not_contains";
  switch (type) {
    case "text":
      return compareText(op, actual, e);
    case "integer":
    case "float":
      return compareNumber(op, actual, e);
    case "boolean":
      return compareBoolean(op, actual, e);
    case "date":
      return compareDate(op, actual, e, now);
  }
}

/** A param as a number under the fields' lenient rule ("500" and " 4.5 " are numbers), else NaN. */
function asNumber(v: unknown): number {
  const parsed = v === null || v === undefined ? null : parseFieldValue("float", v);
  return parsed?.ok && typeof parsed.value === "number" ? parsed.value : Number.NaN;
}

/**
 * Event params have no declared type, and Zapier, Make and n8n send every value as a
 * string: a value that spells a number compares as a number (the rule fields use),
 * "true"/"false" as a boolean, anything else as text.
 */
function compareParam(op: string, actual: unknown, expected: unknown): boolean {
  if (op === "is_set" || op === "is_not_set") return compareText(op, actual, expected);
  const a = asNumber(actual);
  const e = asNumber(expected);
  if (["gt", "gte", "lt", "lte"].includes(op)) return compareNumber(op, a, e);
  if ((op === "eq" || op === "neq") && !Number.isNaN(a) && !Number.isNaN(e)) return compareNumber(op, a, e);
  if (typeof actual === "boolean" || typeof expected === "boolean") {
    const b = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);
    if (op === "eq" || op === "neq") return compareBoolean(op, b(actual), b(expected));
  }
  return compareText(op, actual, expected);
}

export function evaluateRule(rule: Rule, ctx: ConditionContext): RuleOutcome {
  // An unfinished rule (no operator) compares as none of them; event history has no operator.
  const op: string = (rule.kind === "event_history" ? undefined : rule.op) ?? "";
  const out = (op: string, subject: string, actual: unknown, expected: unknown, result: boolean): RuleOutcome => ({
    kind: rule.kind,
    op,
    subject,
    actual,
    expected,
    result,
  });
  switch (rule.kind) {
    case "field": {
      const tag = rule.field ?? "";
      const actual = ctx.contact.fields[tag] ?? null;
      const type = ctx.contact.fieldTypes[tag];
      const result = type === undefined ? op === "is_not_set" : compareTyped(type, op, actual, rule.value, ctx.now);
      return out(op, `field.${tag}`, actual, rule.value ?? null, result);
    }
    case "list": {
      const member = rule.list_id !== undefined && ctx.contact.listIds.includes(rule.list_id);
      return out(op, `list.${rule.list_id}`, member, op === "in_list", op === "in_list" ? member : !member);
    }
    case "status": {
      return out(
        op,
        "status",
        ctx.contact.status,
        rule.value ?? null,
        op === "neq" ? ctx.contact.status !== rule.value : ctx.contact.status === rule.value,
      );
    }
    case "event_param": {
      const param = rule.param ?? "";
      const actual = ctx.event ? (ctx.event.params[param] ?? null) : null;
      return out(op, `event.params.${param}`, actual, rule.value ?? null, compareParam(op, actual, rule.value));
    }
    case "event_history": {
      const count = ctx.eventCounts[eventCountKey(rule.event ?? "", rule.days ?? 0)] ?? 0;
      const min = rule.min_count ?? 1;
      return out("", `events.${rule.event}.last_${rule.days}_days`, count, min, count >= min);
    }
    case "email": {
      const e = (rule.step_id === undefined ? undefined : ctx.engagement[rule.step_id]) ?? { opened: false, clicked: false };
      const value = op === "opened" || op === "not_opened" ? e.opened : e.clicked;
      const result = op.startsWith("not_") ? !value : value;
      return out(op, `email.${rule.step_id}.${op.replace("not_", "")}`, value, !op.startsWith("not_"), result);
    }
    default:
      return unreachable(rule);
  }
}

/** A condition step: all or any of its rules; no rules means "yes". */
export function evaluateCondition(step: Pick<StepOf<"condition">, "match" | "rules">, ctx: ConditionContext): ConditionOutcome {
  const match = step.match ?? "all";
  const rules = (step.rules ?? []).map((r) => evaluateRule(r, ctx));
  const result = rules.length === 0 ? true : match === "all" ? rules.every((r) => r.result) : rules.some((r) => r.result);
  return { result, match, rules };
}
