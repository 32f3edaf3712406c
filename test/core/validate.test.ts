import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Catalog, issueText, validateDefinition } from "../../src/core/flow/validate.ts";
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
    {
      id: "s3",
      type: "condition",
      match: "all",
      rules: [
        { kind: "field", field: "plan", op: "eq", value: "pro" },
        { kind: "email", step_id: "s1", op: "opened" },
      ],
      yes: "s4",
      no: null,
    },
    { id: "s4", type: "add_to_lists", list_ids: [3], next: null },
  ],
  settings: { reentry_hours: 24 },
};

const messages = (def: Definition) => validateDefinition(def, catalog).map((i) => i.message);
const withSteps = (steps: Step[], entry = "a"): Definition => ({
  name: "x",
  trigger: { type: "contact_created" },
  entry_step_id: entry,
  steps,
});

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
      "b: Two steps have the id “b”: give each step its own id.",
      "b: The “Set age to old” step leads to a step that does not exist (“zz”): connect it to another step, or end the automation there.",
      "c: The delay cannot be reached: nothing leads to it from the trigger.",
      "a: The email step has no email yet: choose a template, or write a subject and a body.",
      "b: The “Set age to old” step sets the field “age” to “old”, but the field “age” holds a whole number.",
      "c: The delay needs a length: wait at least 1 day.",
      "c: The delay needs a unit: minutes, hours, days or weeks.",
    ]);
    expect(issues.every((i) => i.step_id !== null)).toBe(true);
  });

  it("finds cycles", () => {
    expect(
      messages(
        withSteps([
          { id: "a", type: "unsubscribe", next: "b" },
          { id: "b", type: "condition", rules: [{ kind: "status", op: "eq", value: "subscribed" }], yes: "a", no: null },
        ]),
      ),
    ).toEqual([
      "a: The unsubscribe step is reached again from a later step, so contacts would go round in a loop: automations only move forward.",
    ]);
  });

  it("checks references to lists, fields and templates in the account", () => {
    const def = withSteps([
      { id: "a", type: "send_email", email: { template_id: 99 }, next: "b" },
      { id: "b", type: "add_to_lists", list_ids: [3, 8], next: "c" },
      {
        id: "c",
        type: "condition",
        rules: [
          { kind: "field", field: "nope", op: "eq", value: 1 },
          { kind: "list", op: "in_list", list_id: 9 },
          { kind: "field", field: "age", op: "contains", value: "1" },
        ],
        yes: null,
        no: null,
      },
    ]);
    expect(messages(def)).toEqual([
      "a: The email step uses a template that no longer exists (#99): choose another template.",
      "b: The “Add to list #3, list #8” step uses a list that no longer exists (#8): choose another list.",
      "c: Rule 1 of the condition: the field “nope” does not exist any more; choose another field.",
      "c: Rule 2 of the condition: the list it looks at no longer exists (#9); choose another list.",
      "c: Rule 3 of the condition: “contains” does not apply to the field “age” (a whole number); use “equals”, “does not equal”, “is greater than”, “is at least”, “is less than”, “is at most”, “is set” or “is not set”.",
    ]);
  });

  it("checks the trigger", () => {
    const base = withSteps([{ id: "a", type: "unsubscribe" }]);
    expect(messages({ ...base, trigger: { type: "contact_field_updated", field: "age", to: "x" } })).toEqual([
      "trigger: The trigger waits for the field “age” to change to “x”, but the field “age” holds a whole number.",
    ]);
    expect(messages({ ...base, trigger: { type: "contact_added_to_list", list_ids: [] } })).toEqual([
      "trigger: The trigger needs at least one list: choose which.",
    ]);
    expect(messages({ ...base, trigger: { type: "custom_event" } })).toEqual(["trigger: Name the event that starts the automation."]);
  });

  it("an email rule must name a send_email step that comes before the condition", () => {
    const def = withSteps([
      { id: "a", type: "condition", rules: [{ kind: "email", step_id: "b", op: "opened" }], yes: "b", no: null },
      { id: "b", type: "send_email", email: { subject: "Hi", text: "Hello" } },
    ]);
    expect(messages(def)).toEqual([
      "a: Rule 1 of the condition: the email “Hi” is not sent before this condition, so there is nothing to look at yet; choose an email sent earlier on the way here.",
    ]);
  });

  it("an empty automation or a missing entry is refused", () => {
    expect(messages(withSteps([]))).toEqual(["The automation has no steps yet: add at least one after the trigger."]);
    expect(messages(withSteps([{ id: "a", type: "unsubscribe" }], "x"))).toEqual([
      "The trigger does not lead to any step: connect it to the first step.",
      "a: The unsubscribe step cannot be reached: nothing leads to it from the trigger.",
    ]);
  });

  it("names steps as the builder shows them (subject, template or list names, what they do), never by id", () => {
    const named: Catalog = {
      ...catalog,
      names: {
        template: (id) => (id === 7 ? "Welcome" : undefined),
        list: (id) => (id === 3 ? "Newsletter" : undefined),
        field: (tag) => (tag === "plan" ? "Plan" : undefined),
      },
    };
    const def = withSteps(
      [
        { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
        { id: "s2", type: "send_email", email: { subject: "Your trial ends" }, next: "s3" },
        { id: "s3", type: "add_to_lists", list_ids: [3, 8], next: "s4" },
        { id: "s4", type: "condition", rules: [{ kind: "field", field: "plan", op: "gt", value: "pro" }], yes: "s5", no: "s6" },
        { id: "s5", type: "delay", amount: 2, unit: "days", next: "ghost" },
        { id: "s6", type: "delay", next: null },
        { id: "s7", type: "delay", unit: "hours", next: null },
      ],
      "s1",
    );
    const issues = validateDefinition(def, named);
    expect(issues.map((i) => i.message)).toEqual([
      "s5: The “Wait 2 days” delay leads to a step that does not exist (“ghost”): connect it to another step, or end the automation there.",
      "s7: The 3rd delay cannot be reached: nothing leads to it from the trigger.",
      "s2: The email “Your trial ends” needs a body: write the text or the HTML.",
      "s3: The “Add to Newsletter, list #8” step uses a list that no longer exists (#8): choose another list.",
      "s4: Rule 1 of the condition “If Plan is greater than pro”: “is greater than” does not apply to the field “Plan” (text of at most 255 characters); use “equals”, “does not equal”, “contains”, “does not contain”, “starts with”, “is set” or “is not set”.",
      "s6: The 2nd delay needs a length: wait at least 1 day.",
      "s6: The 2nd delay needs a unit: minutes, hours, days or weeks.",
      "s7: The 3rd delay needs a length: wait at least 1 hour.",
    ]);
    // The id stays in front, for machines; the sentence after it never names a step by id.
    const ids = new Set(def.steps.map((s) => s.id));
    for (const i of issues) {
      expect(i.message.startsWith(`${i.step_id}: `)).toBe(true);
      expect(issueText(i.message, ids)).not.toMatch(/\bs[1-7]\b/);
    }
  });

  it("issueText drops the step id or trigger in front of a message, and nothing else", () => {
    const ids = new Set(["s1"]);
    expect(issueText("s1: The delay needs a unit: minutes, hours, days or weeks.", ids)).toBe(
      "The delay needs a unit: minutes, hours, days or weeks.",
    );
    expect(issueText("trigger: Name the event that starts the automation.", ids)).toBe("Name the event that starts the automation.");
    expect(issueText("The automation has no steps yet: add at least one after the trigger.", ids)).toBe(
      "The automation has no steps yet: add at least one after the trigger.",
    );
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
        const steps: Step[] = Array.from({ length: n }, (_, i) => ({
          id: `s${i}`,
          type: "unsubscribe" as const,
          next: i < n - 1 ? `s${i + 1}` : null,
        }));
        expect(validateDefinition(withSteps(steps, "s0"), catalog)).toEqual([]);
        const broken = steps.map((s, i) => (i === pick % n ? { ...s, next: "missing" } : s));
        const issues = validateDefinition(withSteps(broken, "s0"), catalog);
        expect(issues.some((i) => i.step_id === `s${pick % n}` && i.message.includes("missing"))).toBe(true);
      }),
    );
  });
});
