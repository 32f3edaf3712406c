import { describe, expect, it } from "vitest";
import type { RuleOutcome } from "../../src/core/engine/evaluate-condition.ts";
import { stepName } from "../../src/core/flow/describe.ts";
import type { Step } from "../../src/core/flow/schema.ts";
import { fieldErrorText, fieldErrorTexts } from "../../web/src/lib/error-text.ts";
import { exitWords, refusalWords } from "../../web/src/lib/run-words.ts";
import { ruleOutcomeText } from "../../web/src/lib/rule-outcome-text.ts";

const names = {
  template: (id: number) => (id === 7 ? "Welcome" : undefined),
  list: (id: number) => (id === 3 ? "Newsletter" : undefined),
  field: (tag: string) => (tag === "plan" ? "Plan" : undefined),
};

describe("reason codes in words (web/src/lib/run-words.ts, the one map the Runs tab, run page, timeline and Reports use)", () => {
  it("translates the exit and refusal codes the API answers", () => {
    expect(exitWords("automation_disabled")).toBe("the automation was disabled");
    expect(exitWords("step_removed")).toBe("its step was removed when the automation was edited");
    expect(exitWords(null)).toBe("");
    expect(refusalWords("quota")).toBe("the account reached its monthly limit of automation runs");
    expect(refusalWords("reentry", 48)).toBe("already went through this automation in the last 2 days");
  });

  it("still reads an unknown code as words", () => {
    expect(exitWords("brand_new_reason")).toBe("brand new reason");
  });
});

describe("validation messages of other forms", () => {
  it("never shows a machine key such as usage in front of a sentence", () => {
    expect(fieldErrorText("usage", "This field is used in the steps of automation(s): Uses age.")).toBe(
      "This field is used in the steps of automation(s): Uses age.",
    );
    expect(fieldErrorText("base", "something went wrong")).toBe("something went wrong");
  });

  it("puts the attribute in words in front of a Rails-style fragment", () => {
    expect(fieldErrorText("email", "is invalid")).toBe("Email is invalid");
    expect(fieldErrorText("merge_tag", "has already been taken")).toBe("Merge tag has already been taken");
    expect(fieldErrorTexts({ name: ["can't be blank"], usage: ["This list is used."] })).toEqual([
      "Name can't be blank",
      "This list is used.",
    ]);
  });
});

describe("why a condition rule held, in words", () => {
  const outcome = (o: Partial<RuleOutcome> & Pick<RuleOutcome, "kind" | "subject">): RuleOutcome => ({
    op: "eq",
    actual: null,
    expected: null,
    result: true,
    ...o,
  });

  it("reads a field rule as a sentence instead of field.plan eq pro — was pro: true", () => {
    const r = outcome({ kind: "field", op: "eq", subject: "field.plan", actual: "pro", expected: "pro" });
    expect(ruleOutcomeText(r)).toBe("plan equals “pro” — it was “pro”: yes");
    expect(ruleOutcomeText(r, names)).toBe("Plan equals “pro” — it was “pro”: yes");
    expect(ruleOutcomeText({ ...r, op: "is_set", actual: null, result: false }, names)).toBe("Plan is set — it was empty: no");
  });

  it("reads list, status, event and email rules", () => {
    expect(ruleOutcomeText(outcome({ kind: "list", op: "in_list", subject: "list.3", actual: true, expected: true }), names)).toBe(
      "In Newsletter — a member: yes",
    );
    expect(ruleOutcomeText(outcome({ kind: "status", op: "neq", subject: "status", actual: "subscribed", expected: "unsubscribed" }))).toBe(
      "Subscription status does not equal “unsubscribed” — it was “subscribed”: yes",
    );
    expect(ruleOutcomeText(outcome({ kind: "event_param", op: "gte", subject: "event.params.total", actual: 120, expected: 100 }))).toBe(
      "Event param “total” is at least 100 — it was 120: yes",
    );
    expect(ruleOutcomeText(outcome({ kind: "event_history", op: "", subject: "events.Login.last_7_days", actual: 3, expected: 1 }))).toBe(
      "Did “Login” at least 1 time in the last 7 days — 3 times: yes",
    );
    expect(
      ruleOutcomeText(outcome({ kind: "email", op: "not_opened", subject: "email.s1.opened", actual: false, expected: false }), {
        email: () => "the email “Welcome”",
      }),
    ).toBe("Did not open the email “Welcome” — they did not: yes");
  });
});

describe("steps named as the builder shows them", () => {
  const steps: Step[] = [
    { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
    { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
    { id: "s3", type: "condition", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: null },
    { id: "s4", type: "add_to_lists", list_ids: [3], next: "s5" },
    { id: "s5", type: "send_email", email: { subject: "Tips" }, next: "s6" },
    { id: "s6", type: "delay", next: null },
  ];
  it("by the email's template or subject, by what a step does, or by its kind and place", () => {
    expect(steps.map((s) => stepName(s, names, steps))).toEqual([
      "the email “Welcome”",
      "the “Wait 2 days” delay",
      "the condition “If Plan equals pro”",
      "the “Add to Newsletter” step",
      "the email “Tips”",
      "the 2nd delay",
    ]);
  });
});
