import { describe, expect, it } from "vitest";
import { type ConditionContext, evaluateCondition, evaluateRule, eventCountKey } from "../../src/core/engine/evaluate-condition.ts";
import type { FieldOperator } from "../../src/core/flow/operators.ts";
import type { Rule, RuleOf } from "../../src/core/flow/schema.ts";

const NOW = Date.parse("2026-11-29T12:00:00Z");

function ctx(over: Partial<ConditionContext> = {}): ConditionContext {
  return {
    contact: {
      status: "subscribed",
      fields: { plan: "Pro", age: 30, score: 2.5, vip: true, birthday: "2026-11-20" },
      fieldTypes: {
        plan: "text",
        age: "integer",
        score: "float",
        vip: "boolean",
        birthday: "date",
        missing_text: "text",
        missing_num: "integer",
        missing_bool: "boolean",
        missing_date: "date",
      },
      listIds: [3, 5],
    },
    event: { name: "Purchase", params: { amount: 120, sku: "ABC-1", gift: false } },
    eventCounts: { [eventCountKey("Login", 7)]: 3 },
    engagement: { s1: { opened: true, clicked: false } },
    now: NOW,
    ...over,
  };
}

const field = (f: string, op: string, value?: RuleOf<"field">["value"]): Rule => ({
  kind: "field",
  field: f,
  op: op as FieldOperator,
  ...(value === undefined ? {} : { value }),
});
const holds = (rule: Rule, c = ctx()) => evaluateRule(rule, c).result;

describe("field rules by type", () => {
  it.each([
    ["plan", "eq", "pro", true],
    ["plan", "eq", "basic", false],
    ["plan", "neq", "basic", true],
    ["plan", "neq", "PRO", false],
    ["plan", "contains", "r", true],
    ["plan", "contains", "x", false],
    ["plan", "not_contains", "x", true],
    ["plan", "not_contains", "ro", false],
    ["plan", "starts_with", "p", true],
    ["plan", "starts_with", "ro", false],
    ["plan", "is_set", undefined, true],
    ["plan", "is_not_set", undefined, false],
  ] as const)("text %s %s %j → %s", (f, op, v, expected) => expect(holds(field(f, op, v))).toBe(expected));

  it.each([
    ["missing_text", "eq", "x", false],
    ["missing_text", "neq", "x", true],
    ["missing_text", "contains", "x", false],
    ["missing_text", "not_contains", "x", true],
    ["missing_text", "starts_with", "x", false],
    ["missing_text", "is_set", undefined, false],
    ["missing_text", "is_not_set", undefined, true],
  ] as const)("missing text %s %s %j → %s", (f, op, v, expected) => expect(holds(field(f, op, v))).toBe(expected));

  it.each([
    ["age", "eq", 30, true],
    ["age", "eq", "30", true],
    ["age", "neq", 31, true],
    ["age", "gt", 29, true],
    ["age", "gt", 30, false],
    ["age", "gte", 30, true],
    ["age", "lt", 31, true],
    ["age", "lt", 30, false],
    ["age", "lte", 30, true],
    ["age", "is_set", undefined, true],
    ["score", "gt", 2, true],
    ["score", "lte", 2.5, true],
    ["score", "eq", 2.4, false],
    ["missing_num", "gt", 0, false],
    ["missing_num", "lt", 0, false],
    ["missing_num", "eq", 0, false],
    ["missing_num", "neq", 0, true],
    ["missing_num", "is_not_set", undefined, true],
  ] as const)("number %s %s %j → %s", (f, op, v, expected) => expect(holds(field(f, op, v))).toBe(expected));

  it.each([
    ["vip", "eq", true, true],
    ["vip", "eq", false, false],
    ["vip", "neq", false, true],
    ["vip", "eq", "true", true],
    ["missing_bool", "eq", false, false],
    ["missing_bool", "is_not_set", undefined, true],
  ] as const)("boolean %s %s %j → %s", (f, op, v, expected) => expect(holds(field(f, op, v))).toBe(expected));

  it.each([
    ["birthday", "eq", "2026-11-20", true],
    ["birthday", "before", "2026-11-21", true],
    ["birthday", "before", "2026-11-20", false],
    ["birthday", "after", "2026-11-19", true],
    ["birthday", "after", "2026-11-20", false],
    ["birthday", "within_last_days", 9, true],
    ["birthday", "within_last_days", 8, false],
    ["missing_date", "before", "2030-01-01", false],
    ["missing_date", "after", "2000-01-01", false],
    ["missing_date", "within_last_days", 1000, false],
    ["missing_date", "is_set", undefined, false],
  ] as const)("date %s %s %j → %s", (f, op, v, expected) => expect(holds(field(f, op, v))).toBe(expected));

  it("a future date is not within the last days", () => {
    expect(holds(field("birthday", "within_last_days", 30), ctx({ now: Date.parse("2026-11-01T00:00:00Z") }))).toBe(false);
  });

  it.each([
    ["age", "eq", "thirty"],
    ["age", "gt", true],
    ["vip", "eq", "yes"],
    ["birthday", "before", "soon"],
    ["score", "lt", "low"],
  ] as const)("a value of the wrong type never matches: %s %s %j", (f, op, v) => {
    expect(holds(field(f, op, v))).toBe(false);
  });

  it("a type mismatch counts as not equal", () => {
    expect(holds(field("age", "neq", "thirty"))).toBe(true);
  });

  it("an unknown field is only 'not set'", () => {
    expect(holds(field("gone", "eq", "x"))).toBe(false);
    expect(holds(field("gone", "is_not_set"))).toBe(true);
  });
});

describe("other rule kinds", () => {
  it("list membership", () => {
    expect(holds({ kind: "list", op: "in_list", list_id: 3 })).toBe(true);
    expect(holds({ kind: "list", op: "in_list", list_id: 4 })).toBe(false);
    expect(holds({ kind: "list", op: "not_in_list", list_id: 4 })).toBe(true);
  });

  it("subscription status", () => {
    expect(holds({ kind: "status", op: "eq", value: "subscribed" })).toBe(true);
    expect(holds({ kind: "status", op: "neq", value: "subscribed" })).toBe(false);
  });

  it("trigger event params compare as numbers or text", () => {
    expect(holds({ kind: "event_param", param: "amount", op: "gt", value: 100 })).toBe(true);
    expect(holds({ kind: "event_param", param: "amount", op: "lte", value: 100 })).toBe(false);
    expect(holds({ kind: "event_param", param: "sku", op: "starts_with", value: "abc" })).toBe(true);
    expect(holds({ kind: "event_param", param: "gift", op: "eq", value: false })).toBe(true);
    expect(holds({ kind: "event_param", param: "nope", op: "is_not_set" })).toBe(true);
    expect(holds({ kind: "event_param", param: "amount", op: "gt", value: 1 }, ctx({ event: null }))).toBe(false);
  });

  it("event history counts events in the window", () => {
    expect(holds({ kind: "event_history", event: "Login", min_count: 3, days: 7 })).toBe(true);
    expect(holds({ kind: "event_history", event: "Login", min_count: 4, days: 7 })).toBe(false);
    expect(holds({ kind: "event_history", event: "Other", min_count: 1, days: 7 })).toBe(false);
  });

  it("email engagement of an earlier step in this run", () => {
    expect(holds({ kind: "email", step_id: "s1", op: "opened" })).toBe(true);
    expect(holds({ kind: "email", step_id: "s1", op: "clicked" })).toBe(false);
    expect(holds({ kind: "email", step_id: "s1", op: "not_clicked" })).toBe(true);
    expect(holds({ kind: "email", step_id: "s9", op: "not_opened" })).toBe(true);
  });
});

describe("evaluateCondition", () => {
  const yes = field("plan", "eq", "pro");
  const no = field("age", "gt", 99);
  it("all / any, and records the values it compared", () => {
    expect(evaluateCondition({ match: "all", rules: [yes, no] }, ctx()).result).toBe(false);
    const any = evaluateCondition({ match: "any", rules: [yes, no] }, ctx());
    expect(any.result).toBe(true);
    expect(any.rules).toEqual([
      { kind: "field", op: "eq", subject: "field.plan", actual: "Pro", expected: "pro", result: true },
      { kind: "field", op: "gt", subject: "field.age", actual: 30, expected: 99, result: false },
    ]);
  });
});
