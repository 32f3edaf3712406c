import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestApp, testApp } from "./helpers/test-app.ts";
import { createActive, seedAccount } from "./engine/engine-helpers.ts";

describe.each(DIALECTS)("a list used by an automation on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("cannot be deleted while a trigger, a list step or a list condition uses it: 409 naming the automations", async () => {
    const { acc, listA, listB } = await seedAccount(t);
    const listC = (await t.call(acc, "POST", "/api/contacts/lists", { name: "C" })).json().id as number;
    await createActive(t, acc, {
      name: "On join",
      trigger: { type: "contact_added_to_list", list_ids: [listA] },
      entry_step_id: "u",
      steps: [{ id: "u", type: "unsubscribe", next: null }],
    });
    await createActive(t, acc, {
      name: "Adds",
      trigger: { type: "contact_created" },
      entry_step_id: "a",
      steps: [{ id: "a", type: "add_to_lists", list_ids: [listB], next: null }],
    });
    await createActive(t, acc, {
      name: "Splits",
      trigger: { type: "contact_created" },
      entry_step_id: "c",
      steps: [
        {
          id: "c",
          type: "condition",
          match: "all",
          rules: [
            { kind: "list", op: "in_list", list_id: listB },
            { kind: "list", op: "not_in_list", list_id: listC },
          ],
          yes: null,
          no: null,
        },
      ],
    });

    const a = await t.call(acc, "DELETE", `/api/contacts/lists/${listA}`);
    expect(a.statusCode).toBe(409);
    expect(a.json()).toEqual({ error: "This list is used by automation(s): On join. Remove it from them first." });
    const b = await t.call(acc, "DELETE", `/api/contacts/lists/${listB}`);
    expect(b.statusCode).toBe(409);
    expect(b.json().error).toContain("automation(s): Adds, Splits.");
    expect((await t.call(acc, "DELETE", `/api/contacts/lists/${listC}`)).statusCode).toBe(409);

    // Nothing was deleted.
    const names = (await t.call(acc, "GET", "/api/contacts/lists")).json().map((l: { name: string }) => l.name);
    expect(names).toEqual(["A", "B", "C"]);
  });

  it("an unused list, or one only another account's automation uses, is deleted", async () => {
    const { acc, listA } = await seedAccount(t);
    const other = await seedAccount(t);
    await createActive(t, other.acc, {
      name: "Theirs",
      trigger: { type: "contact_added_to_list", list_ids: [other.listA] },
      entry_step_id: "u",
      steps: [{ id: "u", type: "unsubscribe", next: null }],
    });
    expect((await t.call(acc, "DELETE", `/api/contacts/lists/${listA}`)).statusCode).toBe(204);
  });
});
