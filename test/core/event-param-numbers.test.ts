import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type ConditionContext, evaluateRule } from "../../src/core/engine/evaluate-condition.ts";
import { triggerMatches } from "../../src/core/engine/trigger-match.ts";
import type { RuleOf, Trigger } from "../../src/core/flow/schema.ts";

type ParamRule = RuleOf<"event_param">;

function withParams(params: Record<string, unknown>): ConditionContext {
  return {
    contact: { status: "subscribed", fields: {}, fieldTypes: {}, listIds: [] },
    event: { name: "Purchase", params },
    eventCounts: {},
    engagement: {},
    now: 0,
  };
}
const param = (op: NonNullable<ParamRule["op"]>, value: ParamRule["value"], actual: unknown) =>
  evaluateRule({ kind: "event_param", param: "amount", op, value }, withParams({ amount: actual })).result;

describe("event params sent as strings (Zapier, Make, n8n)", () => {
  it('compare as numbers when they spell one: "500" gte 100', () => {
    expect(param("gte", 100, "500")).toBe(true);
    expect(param("gt", 100, " 99.5 ")).toBe(false);
    expect(param("lt", "1000", "500")).toBe(true);
    expect(param("eq", 500, "500")).toBe(true);
    expect(param("eq", "500", 500.0)).toBe(true);
    expect(param("neq", 500, "500")).toBe(false);
    // As text, "500" > "1000"; as numbers it is not.
    expect(param("gt", "1000", "500")).toBe(false);
  });

  it("a value that is not a number never orders, and stays text for eq", () => {
    expect(param("gte", 100, "lots")).toBe(false);
    expect(param("lt", 100, "")).toBe(false);
    expect(param("eq", "ABC-1", "abc-1")).toBe(true);
    expect(param("contains", "00", "5007")).toBe(true);
  });

  it('"true" and "false" compare with booleans', () => {
    expect(param("eq", true, "true")).toBe(true);
    expect(param("eq", false, "true")).toBe(false);
    expect(param("neq", false, "true")).toBe(true);
  });

  it("a number and its decimal string always compare the same way (property)", () => {
    const ops = ["eq", "neq", "gt", "gte", "lt", "lte"] as const;
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...ops),
        (a, b, op) => {
          const asNumbers = param(op, b, a);
          expect(param(op, b, String(a))).toBe(asNumbers);
          expect(param(op, String(b), String(a))).toBe(asNumbers);
        },
      ),
    );
  });
});

describe('a field trigger\'s "changed to" value', () => {
  const trigger = (to: string): Trigger => ({ type: "contact_field_updated", field: "plan", to }) as Trigger;
  const change = (to: unknown) => ({ type: "contact_field_updated", payload: { merge_tag: "plan", from: "free", to } });

  it("matches text case-insensitively, as conditions do", () => {
    expect(triggerMatches(trigger("Pro"), change("pro"), "text")).toBe(true);
    expect(triggerMatches(trigger("pro"), change("PRO"), "text")).toBe(true);
    expect(triggerMatches(trigger("pro"), change("professional"), "text")).toBe(false);
  });

  it("still matches numbers by value", () => {
    expect(triggerMatches({ type: "contact_field_updated", field: "plan", to: "5" } as Trigger, change(5), "integer")).toBe(true);
  });
});
