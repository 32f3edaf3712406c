import { describe, expect, it } from "vitest";
import type { Definition } from "../../src/core/flow/schema.ts";
import { addStepLabel } from "../../web/src/flow-builder/model/add-labels.ts";
import { toFieldValue } from "../../web/src/flow-builder/model/field-value-input.ts";
import { collectIssues, serverMessages } from "../../web/src/flow-builder/model/issues.ts";
import { type Names, NO_NAMES, summarizeStep, summarizeTrigger } from "../../web/src/flow-builder/model/summarize.ts";
import { CATALOG } from "./flow-arbitraries.ts";

const names: Names = {
  template: (id) => (id === 7 ? "Welcome" : undefined),
  list: (id) => (id === 3 ? "Newsletter" : undefined),
  field: (tag) => (tag === "plan" ? "plan" : undefined),
};

describe("the one-line summary of each node", () => {
  it("says what each step does, with the account's names", () => {
    expect(summarizeStep({ id: "s1", type: "send_email", email: { template_id: 7 } }, names)).toBe("Send “Welcome”");
    expect(summarizeStep({ id: "s1", type: "send_email", email: { subject: "Hi there" } }, names)).toBe("Send “Hi there”");
    expect(summarizeStep({ id: "s1", type: "send_email", email: { template_id: 9 } }, names)).toBe("Send “template #9”");
    expect(summarizeStep({ id: "s2", type: "delay", amount: 2, unit: "days" }, names)).toBe("Wait 2 days");
    expect(summarizeStep({ id: "s2", type: "delay", amount: 1, unit: "hours" }, names)).toBe("Wait 1 hour");
    expect(
      summarizeStep(
        { id: "s3", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }] },
        names,
      ),
    ).toBe("If plan equals pro");
    expect(
      summarizeStep(
        {
          id: "s3",
          type: "condition",
          match: "any",
          rules: [
            { kind: "list", op: "not_in_list", list_id: 3 },
            { kind: "status", op: "eq", value: "subscribed" },
          ],
        },
        names,
      ),
    ).toBe("If not in list Newsletter or 1 more");
    expect(summarizeStep({ id: "s4", type: "add_to_lists", list_ids: [3, 4] }, names)).toBe("Add to Newsletter, list #4");
    expect(summarizeStep({ id: "s5", type: "update_field", field: "plan", value: null }, names)).toBe("Clear plan");
    expect(summarizeStep({ id: "s6", type: "unsubscribe" }, NO_NAMES)).toBe("Unsubscribe the contact");
  });

  it("says when the trigger fires", () => {
    expect(summarizeTrigger({ type: "contact_created" }, names)).toBe("When a contact is created");
    expect(summarizeTrigger({ type: "contact_field_updated", field: "plan", to: "pro" }, names)).toBe("When plan changes to pro");
    expect(summarizeTrigger({ type: "contact_added_to_list", list_ids: [3] }, names)).toBe("When added to Newsletter");
    expect(summarizeTrigger({ type: "custom_event", event: "signup" }, names)).toBe("When event “signup” happens");
  });

  it("names every add button after the arrow it sits on", () => {
    expect(addStepLabel({ source: "trigger", port: "entry" })).toBe("Add step after trigger");
    expect(addStepLabel({ source: "s2", port: "next" })).toBe("Add step after s2");
    expect(addStepLabel({ source: "s3", port: "yes" })).toBe("Add step on Yes branch of s3");
    expect(addStepLabel({ source: "s3", port: "no" })).toBe("Add step on No branch of s3");
  });
});

describe("problems shown on the canvas", () => {
  const def: Definition = {
    name: "x",
    trigger: { type: "custom_event" },
    entry_step_id: "s1",
    steps: [
      { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
      { id: "s2", type: "delay", amount: 0, unit: "days", next: null },
    ],
  };

  it("puts src/core's issues on the step or the trigger they name, as sentences without the id", () => {
    const issues = collectIssues(def, CATALOG, []);
    expect(issues.get("trigger")).toEqual(["Name the event that starts the automation."]);
    expect(issues.get("s2")).toEqual(["The delay needs a length: wait at least 1 day."]);
    expect(issues.has("s1")).toBe(false);
  });

  it("adds the server's 422 messages to the nodes they name, once", () => {
    const messages = serverMessages({
      steps: [
        "s2: The delay needs a length: wait at least 1 day.",
        "s1: The email step uses a template that no longer exists (#7): choose another template.",
      ],
      trigger: ["trigger: Name the event that starts the automation."],
    });
    const issues = collectIssues(def, CATALOG, messages);
    expect(issues.get("s1")).toEqual(["The email step uses a template that no longer exists (#7): choose another template."]);
    expect(issues.get("s2")).toHaveLength(1);
    expect(collectIssues(def, null, messages).get("trigger")).toEqual(["Name the event that starts the automation."]);
  });

  it("words the 422 messages of other attributes without their machine key", () => {
    expect(serverMessages({ status: ["cannot change from disabled to paused"], name: ["can't be blank"] })).toEqual([
      "Status cannot change from disabled to paused",
      "Name can't be blank",
    ]);
  });
});

describe("values typed into the panel", () => {
  it("stores numbers and booleans as such, and text that is not one as typed", () => {
    expect(toFieldValue("integer", "42")).toBe(42);
    expect(toFieldValue("float", "1.5")).toBe(1.5);
    expect(toFieldValue("integer", "forty")).toBe("forty");
    expect(toFieldValue("boolean", "true")).toBe(true);
    expect(toFieldValue("date", "2024-05-01")).toBe("2024-05-01");
    expect(toFieldValue("text", "")).toBeUndefined();
  });
});
