import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

/** The Reports tab's Yes / No on a condition: the report counts the runs each branch took. */
describe.each(DIALECTS)("condition branch counts in the report on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("reports how many runs took Yes and No, even when a branch goes straight to the exit", async () => {
    const { acc, listA } = await seedAccount(t);
    const autoId = await createActive(t, acc, {
      name: "Split",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "condition", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s2", no: null },
        { id: "s2", type: "add_to_lists", list_ids: [listA], next: null },
      ],
    });
    await contact(t, acc, "pro1@example.com", { fields: { plan: "pro" } });
    await contact(t, acc, "free1@example.com", { fields: { plan: "free" } });
    await contact(t, acc, "free2@example.com");
    await settle(t);
    const report = (await t.call(acc, "GET", `/api/automations/${autoId}/report`)).json().data as {
      steps: { step_id: string; branches?: unknown }[];
    };
    expect(report.steps.find((s) => s.step_id === "s1")).toMatchObject({ entered: 3, completed: 3, branches: { yes: 1, no: 2 } });
    expect(report.steps.find((s) => s.step_id === "s2")).not.toHaveProperty("branches");
  });
});
