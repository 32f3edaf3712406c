import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Catalog, validateDefinition } from "../../src/core/flow/validate.ts";
import type { Definition, Step } from "../../src/core/flow/schema.ts";

const catalog: Catalog = {
  lists: new Set([3, 4]),
  fields: new Map([
    ["plan", "text"],
    ["age", "integer"],
    ["joined", "date"],
  ]),
  templates: new Set([7]),
};

const welcome: Definition = {
  name: "Welcome series",
  trigger: { type: "contact_created" },
  entry_step_id: "s1",
  steps: [
    { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
    { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
    { id: "s3", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }, { kind: "email", step_id: "s1", op: "opened" }], yes: "s4", no: null },
    { id: "s4", type: "add_to_lists", list_ids: [3], next: null },
  ],
  settings: { reentry_hours: 24 },
};

const messages = (def: Definition) => validateDefinition(def, catalog).map((i) => i.message);
const withSteps = (steps: Step[], entry = "a"): Definition => ({ name: "x", trigger: { type: "contact_created" }, entry_step_id: entry, steps });

describe("validateDefinition", () => {
  it("accepts the welcome series", () => {
    expect(validateDefinition(welcome, catalog)).toEqual([]);
  });

  it("reports every problem at once, each naming its step", () => {
    const issues = validateDefinition(
      withSteps([
        { id: "a", type: "send_email", next: "b" },
        { id: "b", type: "update_field", field: "age", value: "old", next: "zz" },
        { id: "b", type: "unsubscribe" },
        { id: "c", type: "delay", next: null },
      ]),
      catalog,
    );
    expect(issues.map((i) => i.message)).toEqual([
      "b: step id b is used twice",
      "b: points to zz, which is not a step",
      "c: cannot be reached from the entry step",
      "a: send_email needs an email (template_id, or subject and html or text)",
      'b: field age: value "old" is not a valid integer',
      "c: delay needs an amount of at least 1",
      "c: delay needs a unit (minutes, hours, days or weeks)",
    ]);
    expect(issues.every((i) => i.step_id !== null)).toBe(true);
  });

  it("finds cycles", () => {
    expect(messages(withSteps([{ id: "a", type: "unsubscribe", next: "b" }, { id: "b", type: "condition", rules: [{ kind: "status", op: "eq", value: "subscribed" }], yes: "a", no: null }]))).toEqual(["a: is part of a cycle"]);
  });

  it("checks references to lists, fields and templates in the account", () => {
    const def = withSteps([
      { id: "a", type: "send_email", email: { template_id: 99 }, next: "b" },
      { id: "b", type: "add_to_lists", list_ids: [3, 8], next: "c" },
      { id: "c", type: "condition", rules: [{ kind: "field", field: "nope", op: "eq", value: 1 }, { kind: "list", op: "in_list", list_id: 9 }, { kind: "field", field: "age", op: "contains", value: "1" }], yes: null, no: null },
    ]);
    expect(messages(def)).toEqual([
      "a: template 99 does not exist",
      "b: add_to_lists: list 8 does not exist",
      'c: rule 1: field "nope" does not exist',
      "c: rule 2: list 9 does not exist",
      'c: rule 3: operator "contains" does not apply to a integer field (use eq, neq, gt, gte, lt, lte, is_set, is_not_set)',
    ]);
  });

  it("checks the trigger", () => {
    const base = withSteps([{ id: "a", type: "unsubscribe" }]);
    expect(messages({ ...base, trigger: { type: "contact_field_updated", field: "age", to: "x" } })).toEqual(['trigger: "to" "x" is not a valid integer']);
    expect(messages({ ...base, trigger: { type: "contact_added_to_list", list_ids: [] } })).toEqual(["trigger: choose at least one list"]);
    expect(messages({ ...base, trigger: { type: "custom_event" } })).toEqual(["trigger: name the event"]);
  });

  it("an email rule must name a send_email step that comes before the condition", () => {
    const def = withSteps([
      { id: "a", type: "condition", rules: [{ kind: "email", step_id: "b", op: "opened" }], yes: "b", no: null },
      { id: "b", type: "send_email", email: { subject: "Hi", text: "Hello" } },
    ]);
    expect(messages(def)).toEqual(["a: rule 1: email step b does not come before this condition"]);
  });

  it("an empty automation or a missing entry is refused", () => {
    expect(messages(withSteps([]))).toEqual(["the automation has no steps"]);
    expect(messages(withSteps([{ id: "a", type: "unsubscribe" }], "x"))).toEqual(['entry_step_id "x" is not a step', "a: cannot be reached from the entry step"]);
  });

  it("validates a long chain of diamonds quickly (each step visited once)", () => {
    const steps: Step[] = [];
    for (let i = 0; i < 60; i++) {
      steps.push({ id: `c${i}`, type: "condition", rules: [{ kind: "status", op: "eq", value: "subscribed" }], yes: `y${i}`, no: `n${i}` });
      steps.push({ id: `y${i}`, type: "unsubscribe", next: i < 59 ? `c${i + 1}` : null });
      steps.push({ id: `n${i}`, type: "unsubscribe", next: i < 59 ? `c${i + 1}` : null });
    }
    expect(validateDefinition(withSteps(steps, "c0"), catalog)).toEqual([]);
  });

  it("a valid random chain stays valid; any dangling reference is reported (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, pick) => {
        const steps: Step[] = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, type: "unsubscribe" as const, next: i < n - 1 ? `s${i + 1}` : null }));
        expect(validateDefinition(withSteps(steps, "s0"), catalog)).toEqual([]);
        const broken = steps.map((s, i) => (i === pick % n ? { ...s, next: "missing" } : s));
        const issues = validateDefinition(withSteps(broken, "s0"), catalog);
        expect(issues.some((i) => i.step_id === `s${pick % n}` && i.message.includes("missing"))).toBe(true);
      }),
    );
  });
});
