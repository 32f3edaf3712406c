import { describe, expect, it } from "vitest";
import { portsOf, refAt, successors, withRef } from "../../src/core/flow/ports.ts";
import { type Rule, RULE_KINDS, type Step, type StepOf, STEP_TYPES } from "../../src/core/flow/schema.ts";

describe("the step and rule unions", () => {
  it("list every step type and rule kind once, in the table's order", () => {
    expect(STEP_TYPES).toEqual(["send_email", "update_field", "unsubscribe", "add_to_lists", "remove_from_lists", "delay", "condition"]);
    expect(RULE_KINDS).toEqual(["field", "list", "status", "event_param", "event_history", "email"]);
  });

  it("give each step type only its own settings (checked by tsc: npm run typecheck)", () => {
    const delay: StepOf<"delay"> = { id: "d", type: "delay", amount: 1, unit: "days", next: null };
    // @ts-expect-error a delay has no email
    const wrong: StepOf<"delay"> = { id: "d", type: "delay", email: {} };
    // @ts-expect-error a list rule's operator is in_list or not_in_list
    const op: Rule = { kind: "list", op: "eq" };
    // @ts-expect-error a condition leads on through yes / no, not next
    const cond: StepOf<"condition"> = { id: "c", type: "condition", next: "x" };
    expect([delay, wrong, op, cond]).toHaveLength(4);
  });

  it("read and write where a step leads through its ports only", () => {
    const steps: Step[] = [
      { id: "a", type: "send_email", next: "b" },
      { id: "b", type: "condition", yes: "c", no: null },
    ];
    expect(steps.map((s) => portsOf(s))).toEqual([["next"], ["yes", "no"]]);
    expect(successors(steps[1]!)).toEqual(["c"]);
    expect(refAt(steps[0]!, "yes")).toBeUndefined();
    expect(withRef(steps[0]!, "yes", "z")).toBe(steps[0]);
    expect(withRef(steps[1]!, "no", "a")).toEqual({ id: "b", type: "condition", yes: "c", no: "a" });
  });
});
