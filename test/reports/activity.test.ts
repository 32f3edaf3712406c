import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { advance, contact, createActive, DAY, seedAccount, settle, welcomeSeries } from "../engine/engine-helpers.ts";

type Item = { at: string; kind: string; [k: string]: unknown };

describe.each(DIALECTS)("contact activity on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("shows the journey newest first — entries, steps with why, emails, events, changes — in pages", async () => {
    const { acc, listA } = await seedAccount(t);
    await createActive(t, acc, {
      name: "Journey",
      trigger: { type: "custom_event", event: "signup" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "send_email", email: { subject: "Hi", text: "x" }, next: "s2" },
        { id: "s2", type: "delay", amount: 1, unit: "days", next: "s3" },
        { id: "s3", type: "condition", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: null },
        { id: "s4", type: "add_to_lists", list_ids: [listA], next: null },
      ],
    });
    const c = await contact(t, acc, "journey@example.com", { fields: { plan: "pro" } });
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "signup", params: { source: "ads" } });
    await settle(t);
    await advance(t, acc, DAY + 1);

    const res = await t.call(acc, "GET", `/api/contacts/${encodeURIComponent(c.email)}/activity`);
    expect(res.statusCode).toBe(200);
    const items = res.json().data as { at: string; kind: string; [k: string]: unknown }[];
    const times = items.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const kinds = items.map((i) => i.kind);
    for (const k of ["created", "event", "run_entered", "step", "email_queued", "added_to_list", "run_completed"])
      expect(kinds).toContain(k);
    const why = items.find((i) => i.kind === "step" && i["step_id"] === "s3")!;
    expect(why).toMatchObject({
      outcome: "yes",
      why: { result: true, rules: [{ subject: "field.plan", actual: "pro", expected: "pro" }] },
    });
    expect(items.find((i) => i.kind === "event")).toMatchObject({ name: "signup", params: { source: "ads" } });

    // Pages: two at a time, following next_before, cover the same items.
    const paged: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const page: { data: { kind: string }[]; next_before: string | null } = (
        await t.call(acc, "GET", `/api/contacts/${c.id}/activity?limit=2${before ? `&before=${encodeURIComponent(before)}` : ""}`)
      ).json();
      paged.push(...page.data.map((i: { kind: string }) => i.kind));
      before = page.next_before;
      if (!before) break;
    }
    expect(paged.length).toBeGreaterThan(2);
    expect((await t.call(acc, "GET", "/api/contacts/nobody%40example.com/activity")).statusCode).toBe(404);
  });

  it("dates a delay's end when the wait was over and names each step by what it does, not its id", async () => {
    const { acc, listA, template } = await seedAccount(t);
    await createActive(t, acc, welcomeSeries(template, listA));
    const c = await contact(t, acc, "delay@example.com", { fields: { plan: "pro" } });
    await settle(t);
    const started = Date.parse((await t.call(acc, "GET", "/api/test-clock")).json().data.now);
    await advance(t, acc, 2 * DAY + 60);
    const items = (await t.call(acc, "GET", `/api/contacts/${c.id}/activity`)).json().data as Item[];
    const delay = items.filter((i) => i.kind === "step" && i["step_id"] === "s2");
    expect(delay.map((i) => i["outcome"])).toEqual(["done", "waiting"]);
    const [done, waiting] = delay as [Item, Item];
    expect(Date.parse(waiting.at)).toBeLessThan(started + 1000);
    expect(Date.parse(done.at) - Date.parse(waiting.at)).toBeGreaterThanOrEqual(2 * DAY * 1000);
    expect(done["step_name"]).toBe("Wait 2 days");
    expect(items.find((i) => i.kind === "step" && i["step_id"] === "s1")?.["step_name"]).toBe("Email “Welcome”");
    expect(items.find((i) => i.kind === "email_queued")).toMatchObject({ step_id: "s1", step_name: "Email “Welcome”" });
  });

  it("shows the entries an automation refused: the re-entry window and the monthly quota", async () => {
    const { acc } = await seedAccount(t);
    const def = (name: string) => ({
      name,
      trigger: { type: "custom_event" as const, event: "ping" },
      entry_step_id: "s1",
      settings: { reentry_hours: 720 },
      steps: [{ id: "s1", type: "delay" as const, amount: 1, unit: "hours" as const, next: null }],
    });
    await createActive(t, acc, def("Ping series"));
    const c = await contact(t, acc, "again@example.com");
    for (let i = 0; i < 2; i++) {
      await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "ping" });
      await settle(t);
    }
    let items = (await t.call(acc, "GET", `/api/contacts/${c.id}/activity`)).json().data as Item[];
    expect(items.filter((i) => i.kind === "run_entered")).toHaveLength(1);
    expect(items.find((i) => i.kind === "entry_refused")).toMatchObject({
      automation: "Ping series",
      reason: "reentry",
      reentry_hours: 720,
    });

    await t.store.db.updateTable("accounts").set({ monthly_run_quota: 1 }).where("id", "=", acc.accountId).execute();
    await createActive(t, acc, def("Second series"));
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "ping" });
    await settle(t);
    items = (await t.call(acc, "GET", `/api/contacts/${c.id}/activity`)).json().data as Item[];
    expect(items.find((i) => i.kind === "entry_refused" && i["reason"] === "quota")).toMatchObject({ automation: "Second series" });
    expect((await t.call(acc, "GET", `/api/contacts/${c.id}/activity`)).statusCode).toBe(200);
  });
});
