import { describe, expect, it } from "vitest";
import { advance, type Position } from "../../src/core/engine/advance.ts";
import type { ConditionContext } from "../../src/core/engine/evaluate-condition.ts";
import type { Definition } from "../../src/core/flow/schema.ts";

const T0 = Date.parse("2026-11-29T00:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ctx(over: Partial<ConditionContext["contact"]> = {}): ConditionContext {
  return {
    contact: { status: "subscribed", fields: { plan: "pro" }, fieldTypes: { plan: "text", age: "integer" }, listIds: [], ...over },
    event: null,
    eventCounts: {},
    engagement: {},
    now: T0,
  };
}

const def: Definition = {
  name: "Welcome",
  trigger: { type: "contact_created" },
  entry_step_id: "s1",
  steps: [
    { id: "s1", type: "send_email", email: { template_id: 7 }, next: "u" },
    { id: "u", type: "update_field", field: "age", value: "41", next: "s2" },
    { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
    { id: "s3", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: "s5" },
    { id: "s4", type: "add_to_lists", list_ids: [3, 4], next: "s6" },
    { id: "s5", type: "unsubscribe", next: null },
    { id: "s6", type: "remove_from_lists", list_ids: [4], next: null },
  ],
};
const start: Position = { step_id: "s1", phase: "ready", wake_at: null };

describe("advance", () => {
  it("runs actions one after another and stops at a delay with its wake time", () => {
    const t = advance(def, start, ctx(), T0);
    expect(t.effects).toEqual([
      { type: "send_email", stepId: "s1", email: { template_id: 7 }, skipped: false },
      { type: "update_field", stepId: "u", field: "age", value: 41 },
    ]);
    expect(t.journal.map((j) => [j.step_id, j.outcome])).toEqual([
      ["s1", "queued"],
      ["u", "done"],
      ["s2", "waiting"],
    ]);
    expect(t.position).toEqual({ step_id: "s2", phase: "waiting", wake_at: T0 + 2 * DAY });
    expect(t.end).toBeNull();
  });

  it("does nothing before the wake time", () => {
    const waiting: Position = { step_id: "s2", phase: "waiting", wake_at: T0 + 2 * DAY };
    const t = advance(def, waiting, ctx(), T0 + DAY);
    expect(t).toEqual({ effects: [], journal: [], position: waiting, end: null });
  });

  it("after the delay, splits on the contact as it is now: yes branch", () => {
    const t = advance(def, { step_id: "s2", phase: "waiting", wake_at: T0 + 2 * DAY }, ctx(), T0 + 2 * DAY);
    expect(t.journal.map((j) => [j.step_id, j.outcome])).toEqual([
      ["s2", "waited"],
      ["s3", "yes"],
      ["s4", "done"],
      ["s6", "done"],
    ]);
    expect(t.effects).toEqual([
      { type: "add_to_lists", stepId: "s4", listIds: [3, 4] },
      { type: "remove_from_lists", stepId: "s6", listIds: [4] },
    ]);
    expect(t.end).toEqual({ status: "completed" });
    expect(t.journal[1]!.detail).toMatchObject({ result: true, rules: [{ subject: "field.plan", actual: "pro", expected: "pro" }] });
  });

  it("no branch", () => {
    const t = advance(def, { step_id: "s3", phase: "ready", wake_at: null }, ctx({ fields: { plan: "free" } }), T0);
    expect(t.effects).toEqual([{ type: "unsubscribe", stepId: "s5" }]);
    expect(t.end).toEqual({ status: "completed" });
  });

  it("a condition sees what earlier actions of the same run did", () => {
    const chained: Definition = {
      ...def,
      entry_step_id: "a",
      steps: [
        { id: "a", type: "add_to_lists", list_ids: [9], next: "b" },
        { id: "b", type: "condition", rules: [{ kind: "list", op: "in_list", list_id: 9 }], yes: "c", no: null },
        { id: "c", type: "unsubscribe", next: "d" },
        { id: "d", type: "send_email", email: { subject: "x", text: "y" }, next: null },
      ],
    };
    const t = advance(chained, { step_id: "a", phase: "ready", wake_at: null }, ctx(), T0);
    expect(t.journal.map((j) => j.outcome)).toEqual(["done", "yes", "done", "skipped"]);
    expect(t.effects.at(-1)).toMatchObject({ type: "send_email", skipped: true });
  });

  it("an unsubscribed contact's email is skipped and the run goes on", () => {
    const t = advance(def, start, ctx({ status: "unsubscribed" }), T0);
    expect(t.effects[0]).toMatchObject({ type: "send_email", skipped: true });
    expect(t.position?.step_id).toBe("s2");
  });

  it("a run at a step that no longer exists exits step_removed", () => {
    const t = advance(def, { step_id: "gone", phase: "ready", wake_at: null }, ctx(), T0);
    expect(t.end).toEqual({ status: "exited", reason: "step_removed" });
  });

  it.each([
    ["minutes", 5, 5 * 60_000],
    ["hours", 3, 3 * HOUR],
    ["days", 1, DAY],
    ["weeks", 2, 14 * DAY],
  ] as const)("a delay of %s", (unit, amount, ms) => {
    const d: Definition = { ...def, entry_step_id: "w", steps: [{ id: "w", type: "delay", amount, unit, next: null }] };
    expect(advance(d, { step_id: "w", phase: "ready", wake_at: null }, ctx(), T0).position?.wake_at).toBe(T0 + ms);
    expect(advance(d, { step_id: "w", phase: "waiting", wake_at: T0 + ms }, ctx(), T0 + ms).end).toEqual({ status: "completed" });
  });
});

describe("advance one step at a time", () => {
  it("stops after maxSteps with the run ready at the next step, and resumes from there", () => {
    const first = advance(def, start, ctx(), T0, 1);
    expect(first.journal.map((j) => j.step_id)).toEqual(["s1"]);
    expect(first.position).toEqual({ step_id: "u", phase: "ready", wake_at: T0 });
    const second = advance(def, first.position!, ctx(), T0, 1);
    expect(second.journal.map((j) => j.step_id)).toEqual(["u"]);
    const third = advance(def, second.position!, ctx(), T0, 1);
    expect(third.position).toEqual({ step_id: "s2", phase: "waiting", wake_at: T0 + 2 * DAY });
  });

  it("ends a delay and takes the step after it together: the wake-up is not a step of its own", () => {
    const woken = advance(def, { step_id: "s2", phase: "waiting", wake_at: T0 }, ctx(), T0, 1);
    expect(woken.journal.map((j) => [j.step_id, j.outcome])).toEqual([
      ["s2", "waited"],
      ["s3", "yes"],
    ]);
    expect(woken.position).toEqual({ step_id: "s4", phase: "ready", wake_at: T0 });
  });
});
