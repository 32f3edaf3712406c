import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { advance, contact, createActive, DAY, seedAccount, settle, welcomeSeries } from "../engine/engine-helpers.ts";

interface RunItem {
  id: number;
  contact_id: string;
  contact_email: string | null;
  contact_name: string | null;
  status: string;
  current_step_id: string | null;
}
type Page = { data: RunItem[]; next_cursor: string | null };

describe.each(DIALECTS)("the run inspector on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("lists runs with the contact's email and name, searches by email, filters by step and status, and pages by cursor", async () => {
    const { acc, listA, template, ok } = await seedAccount(t);
    await ok(t.call(acc, "POST", "/api/contacts/fields", { name: "First name", data_type: "text", merge_tag: "first_name" }));
    await ok(t.call(acc, "POST", "/api/contacts/fields", { name: "Last name", data_type: "text", merge_tag: "last_name" }));
    const id = await createActive(t, acc, welcomeSeries(template, listA));
    await contact(t, acc, "ann@example.com", { fields: { first_name: "Ann", last_name: "Lee", plan: "pro" } });
    for (let i = 0; i < 6; i++) await contact(t, acc, `guest${i}@example.com`);
    await settle(t);

    const all = (await t.call(acc, "GET", `/api/automations/${id}/runs`)).json() as Page;
    expect(all.data).toHaveLength(7);
    expect(all.next_cursor).toBeNull();
    const ann = all.data.find((r) => r.contact_email === "ann@example.com")!;
    expect(ann).toMatchObject({ contact_name: "Ann Lee", status: "active", current_step_id: "s2" });
    expect(all.data.find((r) => r.contact_email === "guest0@example.com")?.contact_name).toBeNull();

    // Search is a case-insensitive part of the address.
    const found = (await t.call(acc, "GET", `/api/automations/${id}/runs?email=GUEST`)).json() as Page;
    expect(found.data.map((r) => r.contact_email).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `guest${i}@example.com`));
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?email=%25`)).json().data).toEqual([]);

    // Pages of 3 follow next_cursor through all 7, newest first, without repeats.
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res = await t.call(acc, "GET", `/api/automations/${id}/runs?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all.data.map((r) => r.id));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));

    const bad = await t.call(acc, "GET", `/api/automations/${id}/runs?cursor=nonsense`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({ errors: { cursor: ["is invalid"] } });

    // After the delay ann (pro) ends in the list step; everyone completes.
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?step_id=s2`)).json().data).toHaveLength(7);
    await advance(t, acc, 2 * DAY + 1);
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?step_id=s2`)).json().data).toEqual([]);
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?status=completed`)).json().data).toHaveLength(7);
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?status=active`)).json().data).toEqual([]);
    expect((await t.call(acc, "GET", `/api/automations/${id}/runs?status=bogus`)).statusCode).toBe(422);
  });

  it("shows one run with its journey: each step by name, when it started and finished, why, and the email it sent", async () => {
    const { acc, listA, template } = await seedAccount(t);
    const id = await createActive(t, acc, welcomeSeries(template, listA));
    const c = await contact(t, acc, "journey@example.com", { fields: { plan: "pro" } });
    await settle(t);
    const start = Date.parse((await t.call(acc, "GET", "/api/test-clock")).json().data.now);
    await advance(t, acc, 2 * DAY + 1);
    await t.services.sender.drain();

    const [run] = (await t.call(acc, "GET", `/api/automations/${id}/runs?email=journey`)).json().data as RunItem[];
    const res = await t.call(acc, "GET", `/api/runs/${run!.id}`);
    expect(res.statusCode).toBe(200);
    const r = res.json().data;
    expect(r).toMatchObject({
      id: run!.id,
      automation_id: id,
      automation_name: "Welcome series",
      contact_id: c.id,
      contact_email: "journey@example.com",
      status: "completed",
    });
    expect(r.journal.map((j: { step_id: string }) => j.step_id)).toEqual(["s1", "s2", "s3", "s4"]);
    const [email, delay, condition] = r.journal;
    expect(email).toMatchObject({
      step_name: "Email “Welcome”",
      type: "send_email",
      message: { status: "sent", to: "journey@example.com" },
    });
    expect(delay).toMatchObject({ step_name: "Wait 2 days", type: "delay", outcome: "done" });
    // A delay's end is when the wait was over, two days after it began.
    expect(Date.parse(delay.completed_at) - Date.parse(delay.at)).toBeGreaterThanOrEqual(2 * DAY * 1000);
    expect(Date.parse(delay.at)).toBeLessThan(start + 1000);
    expect(condition).toMatchObject({ outcome: "yes", detail: { result: true, rules: [{ subject: "field.plan", actual: "pro" }] } });
  });

  it("keeps another account's automations and runs out of reach (404)", async () => {
    const { acc, listA, template } = await seedAccount(t);
    const id = await createActive(t, acc, welcomeSeries(template, listA));
    await contact(t, acc, "mine@example.com");
    await settle(t);
    const [run] = (await t.call(acc, "GET", `/api/automations/${id}/runs`)).json().data as RunItem[];
    const other = await t.newAccount();
    expect((await t.call(other, "GET", `/api/automations/${id}/runs`)).statusCode).toBe(404);
    expect((await t.call(other, "GET", `/api/runs/${run!.id}`)).statusCode).toBe(404);
    expect((await t.call(other, "GET", `/api/accounts/${other.accountId}/runs/${run!.id}`)).statusCode).toBe(404);
    expect((await t.call(acc, "GET", `/api/accounts/${acc.accountId}/runs/${run!.id}`)).statusCode).toBe(200);
    expect((await t.call(acc, "GET", "/api/runs/999999999")).statusCode).toBe(404);
    expect((await t.call(acc, "GET", "/api/runs/abc")).statusCode).toBe(404);
  });
});
