import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, DAY, runsOf, seedAccount, settle } from "./engine-helpers.ts";

describe.each(DIALECTS)("POST /api/test-clock/advance on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  const delayThenEmail = (template: number) => ({
    name: "Later",
    trigger: { type: "contact_created" as const },
    entry_step_id: "w",
    steps: [
      { id: "w", type: "delay" as const, amount: 1, unit: "days" as const, next: "e" },
      { id: "e", type: "send_email" as const, email: { template_id: template }, next: null },
    ],
  });

  it("says how much of the account's work due at the new instant is still undone", async () => {
    const { acc, template } = await seedAccount(t);
    await createActive(t, acc, delayThenEmail(template));
    await contact(t, acc, "a@example.com");
    await contact(t, acc, "b@example.com");
    await settle(t);
    // Nothing drives this app's engine but the test: the woken runs stay due.
    const res = await t.call(acc, "POST", "/api/test-clock/advance", { seconds: DAY + 60 });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ due: { events: 0, runs: 2, messages: 0 }, settled: false });
    // Another account's work is not counted.
    const other = await t.newAccount();
    expect((await t.call(other, "POST", "/api/test-clock/advance", { seconds: 1 })).json().data).toMatchObject({
      due: { events: 0, runs: 0, messages: 0 },
      settled: true,
    });
    await settle(t);
    await t.services.sender.drain();
  });

  it("with wait_seconds answers only once the woken runs and their emails are done", async () => {
    const { acc, template } = await seedAccount(t);
    const id = await createActive(t, acc, delayThenEmail(template));
    await contact(t, acc, "c@example.com");
    await settle(t);
    let answered = false;
    const pending = t.call(acc, "POST", "/api/test-clock/advance", { seconds: DAY + 60, wait_seconds: 20 }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    // The engine and the sender catch up (as their loops do in a server).
    await settle(t);
    await t.services.sender.drain();
    const res = await pending;
    expect(res.json().data).toMatchObject({ due: { events: 0, runs: 0, messages: 0 }, settled: true });
    expect((await runsOf(t, acc, id)).map((r) => r.status)).toEqual(["completed"]);
  });

  it("refuses a wait longer than 30 seconds", async () => {
    const acc = await t.newAccount();
    const res = await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 1, wait_seconds: 31 });
    expect(res.statusCode).toBe(422);
  });
});
