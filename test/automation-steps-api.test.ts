import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestApp, testApp } from "./helpers/test-app.ts";
import { seedAccount } from "./engine/engine-helpers.ts";

/**
 * Steps and rules are tagged unions (src/core/flow/schema.ts): each step type accepts its
 * own settings only, and a 422 names what is wrong with the step its `type` names.
 */
describe.each(DIALECTS)("the step union in the API on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  const create = async (steps: unknown[]) => {
    const { acc } = await seedAccount(t);
    return t.call(acc, "POST", "/api/automations", { name: "u", trigger: { type: "contact_created" }, entry_step_id: "a", steps });
  };

  it("refuses a setting that belongs to another step type, naming it", async () => {
    const res = await create([{ id: "a", type: "delay", amount: 1, unit: "days", email: { subject: "Hi" }, next: null }]);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { steps: ["'0.email' is not a permitted attribute"] } });
  });

  it("refuses an unknown step type or rule kind as a value not in the list, and a missing type as blank", async () => {
    expect((await create([{ id: "a", type: "teleport" }])).json()).toEqual({
      errors: { steps: ["value for '0.type' is not included in the list"] },
    });
    expect((await create([{ id: "a" }])).json()).toEqual({ errors: { steps: ["value for '0.type' can't be blank"] } });
    const rule = await create([{ id: "a", type: "condition", rules: [{ kind: "vibes" }], yes: null, no: null }]);
    expect(rule.json()).toEqual({ errors: { steps: ["value for '0.rules.0.kind' is not included in the list"] } });
  });

  it("reports only the problems of the member the type names", async () => {
    const res = await create([{ id: "a", type: "delay", amount: -1, unit: "fortnights" }]);
    expect(res.json()).toEqual({
      errors: { steps: ["value for '0.amount' must be greater than or equal to 0", "value for '0.unit' is not included in the list"] },
    });
  });

  it("an operator must be one of its rule kind's", async () => {
    const res = await create([{ id: "a", type: "condition", rules: [{ kind: "list", op: "eq", list_id: 1 }], yes: null, no: null }]);
    expect(res.json()).toEqual({ errors: { steps: ["value for '0.rules.0.op' is not included in the list"] } });
  });

  it("keeps every step type's JSON as sent (drafts may be unfinished)", async () => {
    const steps = [
      { id: "a", type: "send_email", email: { subject: "Hi", text: "Hello" }, next: "b" },
      { id: "b", type: "update_field", field: "plan", value: "pro", next: "c" },
      { id: "c", type: "add_to_lists", list_ids: [], next: "d" },
      { id: "d", type: "remove_from_lists", next: "e" },
      { id: "e", type: "delay", next: "f", position: { x: 1, y: 2 } },
      {
        id: "f",
        type: "condition",
        match: "any",
        rules: [
          { kind: "event_history", event: "Login", min_count: 2, days: 7 },
          { kind: "email", op: "opened", step_id: "a" },
        ],
        yes: "g",
        no: null,
      },
      { id: "g", type: "unsubscribe", next: null },
    ];
    const res = await create(steps);
    expect(res.statusCode).toBe(201);
    expect(res.json().data.steps).toEqual(steps);
  });
});
