import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClaimedRun } from "../../src/server/db/runs-repo.ts";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { advance, contact, createActive, DAY, journalOf, refusalsOf, runsOf, seedAccount, settle } from "./engine-helpers.ts";

describe.each(DIALECTS)("automation lifecycle on %s", (dialect) => {
  let t: TestApp;
  // Lets a test hold one step's transaction open, as a slow worker would.
  let hold: { stepId: string; reached: () => void; release: Promise<void> } | null = null;
  beforeAll(async () => {
    t = await testApp(
      dialect,
      { MAILWRIGHT_TEST_CLOCK: "1", MAILWRIGHT_MONTHLY_RUN_QUOTA: "0" },
      {
        executor: {
          midStep: async (runs: ClaimedRun[]) => {
            if (hold && runs.some((run) => run.step_id === hold!.stepId)) {
              const h = hold;
              hold = null;
              h.reached();
              await h.release;
            }
          },
        },
      },
    );
  });
  afterAll(() => t.close());

  const delayThenUnsub = (name: string) => ({
    name,
    trigger: { type: "contact_created" as const },
    entry_step_id: "w",
    steps: [
      { id: "w", type: "delay" as const, amount: 1, unit: "days" as const, next: "u" },
      { id: "u", type: "unsubscribe" as const, next: null },
    ],
  });

  it("refuses to activate an invalid automation, naming every problem by step", async () => {
    const { acc } = await seedAccount(t);
    const created = await t.call(acc, "POST", "/api/automations", {
      name: "broken",
      trigger: { type: "contact_added_to_list", list_ids: [999999] },
      entry_step_id: "a",
      steps: [
        { id: "a", type: "send_email", next: "b" },
        { id: "b", type: "delay", next: "zz" },
      ],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().data.status).toBe("draft");
    const res = await t.call(acc, "POST", `/api/automations/${created.json().data.id}/activate`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual({
      trigger: ["trigger: The trigger uses a list that no longer exists (#999999): choose another list."],
      steps: [
        "b: The delay leads to a step that does not exist (“zz”): connect it to another step, or end the automation there.",
        "a: The email step has no email yet: choose a template, or write a subject and a body.",
        "b: The delay needs a length: wait at least 1 day.",
        "b: The delay needs a unit: minutes, hours, days or weeks.",
      ],
    });
  });

  it("pause lets no one in and lets runs in flight go on", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, delayThenUnsub("p"));
    const a = await contact(t, acc, "in@example.com");
    await settle(t);
    expect((await t.call(acc, "POST", `/api/automations/${id}/pause`)).json().data.status).toBe("paused");
    await contact(t, acc, "late@example.com");
    await advance(t, acc, DAY + 1);
    const runs = await runsOf(t, acc, id);
    expect(runs.map((r) => [r.contact_id, r.status])).toEqual([[a.id, "completed"]]);
  });

  it("disable removes runs waiting in a delay at once; re-activating lets new entries in, removed runs stay removed", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, delayThenUnsub("d"));
    const a = await contact(t, acc, "wait@example.com");
    await settle(t);
    await t.call(acc, "POST", `/api/automations/${id}/disable`);
    expect((await runsOf(t, acc, id)).map((r) => [r.status, r.exit_reason])).toEqual([["exited", "automation_disabled"]]);
    await t.call(acc, "POST", `/api/automations/${id}/activate`);
    const b = await contact(t, acc, "after@example.com");
    await settle(t);
    await advance(t, acc, DAY + 1);
    const runs = await runsOf(t, acc, id);
    expect(runs.map((r) => [r.contact_id, r.status]).sort()).toEqual(
      [
        [a.id, "exited"],
        [b.id, "completed"],
      ].sort(),
    );
    expect((await t.call(acc, "GET", `/api/contacts/${a.id}`)).json().data.status).toBe("subscribed");
  });

  it("disable lets a run that is mid-step finish that step, then removes it", async () => {
    const { acc, listA } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "mid",
      trigger: { type: "contact_created" },
      entry_step_id: "a",
      steps: [
        { id: "a", type: "update_field", field: "age", value: 7, next: "b" },
        { id: "b", type: "add_to_lists", list_ids: [listA], next: null },
      ],
    });
    let reached!: () => void;
    const atStep = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    hold = { stepId: "a", reached, release: new Promise<void>((r) => (release = r)) };
    const c = await contact(t, acc, "mid@example.com");
    const working = settle(t);
    await atStep;
    const disabling = t.call(acc, "POST", `/api/automations/${id}/disable`);
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect((await disabling).statusCode).toBe(200);
    // What the run had done when the disable committed: the step it was in, finished.
    const [atDisable] = await runsOf(t, acc, id);
    const stepsAtDisable = (await journalOf(t, atDisable!.id)).map((j) => j.step_id);
    expect(stepsAtDisable[0]).toBe("a");
    await working;
    await settle(t);
    const got = (await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data;
    expect(got.fields).toEqual({ age: 7 });
    const [run] = await runsOf(t, acc, id);
    expect([run!.status, run!.exit_reason]).toEqual(["exited", "automation_disabled"]);
    // Nothing more after the disable; on PostgreSQL the disable waits for exactly that step
    // (SQLite serialises everything, so the disable may commit a step boundary later).
    expect((await journalOf(t, run!.id)).map((j) => j.step_id)).toEqual(stepsAtDisable);
    if (dialect === "postgres") {
      expect(stepsAtDisable).toEqual(["a"]);
      expect(got.list_ids).toEqual([]);
    }
  });

  it("editing a live automation publishes a version; runs move by step id, a removed step exits, 'keep' stays", async () => {
    const { acc, listA } = await seedAccount(t);
    const def = {
      name: "edit",
      trigger: { type: "custom_event" as const, event: "go" },
      entry_step_id: "w1",
      steps: [
        { id: "w1", type: "delay" as const, amount: 1, unit: "days" as const, next: "a" },
        { id: "a", type: "add_to_lists" as const, list_ids: [listA], next: null },
      ],
    };
    const id = await createActive(t, acc, def);
    const c1 = await contact(t, acc, "one@example.com");
    const c2 = await contact(t, acc, "two@example.com");
    await t.call(acc, "POST", `/api/contacts/${c1.id}/events`, { name: "go" });
    await settle(t);

    // v2 keeps the runs on v1; v1's path adds to list A.
    const v2 = await t.call(acc, "PATCH", `/api/automations/${id}`, {
      in_flight: "keep",
      steps: [
        { ...def.steps[0]!, next: "u" },
        { id: "u", type: "unsubscribe", next: null },
      ],
    });
    expect(v2.json().data.version).toBe(2);
    await t.call(acc, "POST", `/api/contacts/${c2.id}/events`, { name: "go" });
    await settle(t);
    // v3 moves runs: c2's run (at w1) continues on v3; then v4 removes w1, so waiting runs there exit.
    await t.call(acc, "PATCH", `/api/automations/${id}`, { name: "edit v3" });
    await advance(t, acc, DAY + 1);
    expect((await t.call(acc, "GET", `/api/contacts/${c1.id}`)).json().data).toMatchObject({ list_ids: [listA], status: "subscribed" });
    expect((await t.call(acc, "GET", `/api/contacts/${c2.id}`)).json().data).toMatchObject({ list_ids: [], status: "unsubscribed" });

    await advance(t, acc, DAY);
    const c3 = await contact(t, acc, "three@example.com");
    await t.call(acc, "POST", `/api/contacts/${c3.id}/events`, { name: "go" });
    await settle(t);
    const v4 = await t.call(acc, "PATCH", `/api/automations/${id}`, {
      entry_step_id: "u",
      steps: [{ id: "u", type: "unsubscribe", next: null }],
    });
    expect(v4.json().data.version).toBe(4);
    const runs = await runsOf(t, acc, id);
    expect(runs.find((r) => r.contact_id === c3.id)).toMatchObject({ status: "exited", exit_reason: "step_removed" });
    const versions = (await t.call(acc, "GET", `/api/automations/${id}/versions`)).json().data;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
    expect(versions[0].definition.steps[1].type).toBe("add_to_lists");
  });

  it("an invalid edit of a live automation is refused and publishes nothing", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, delayThenUnsub("inv"));
    const res = await t.call(acc, "PATCH", `/api/automations/${id}`, { entry_step_id: "nope" });
    expect(res.statusCode).toBe(422);
    expect((await t.call(acc, "GET", `/api/automations/${id}`)).json().data.version).toBe(1);
  });

  it("a field used by an automation cannot be deleted", async () => {
    const { acc } = await seedAccount(t);
    await createActive(t, acc, {
      name: "Uses age",
      trigger: { type: "contact_created" },
      entry_step_id: "a",
      steps: [{ id: "a", type: "update_field", field: "age", value: 1, next: null }],
    });
    const fields = (await t.call(acc, "GET", "/api/contacts/fields")).json();
    const age = fields.find((f: { merge_tag: string }) => f.merge_tag === "age");
    const res = await t.call(acc, "DELETE", `/api/contacts/fields/${age.id}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { usage: ["This field is used in the steps of automation(s): Uses age."] } });
  });

  it("simulate shows the path and the rendered emails, changing nothing", async () => {
    const { acc, template } = await seedAccount(t);
    const created = await t.call(acc, "POST", "/api/automations", {
      name: "sim",
      trigger: { type: "custom_event", event: "Purchase" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "send_email", email: { template_id: template }, next: "s2" },
        { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
        {
          id: "s3",
          type: "condition",
          match: "any",
          rules: [{ kind: "event_param", param: "amount", op: "gt", value: 100 }],
          yes: "s4",
          no: null,
        },
        { id: "s4", type: "send_email", email: { subject: "Big spender {{event.params.amount}}", html: "<b>{{plan}}</b>" }, next: null },
      ],
    });
    const id = created.json().data.id;
    const before = await t.store.db.selectFrom("runs").selectAll().execute();
    const res = await t.call(acc, "POST", `/api/automations/${id}/simulate`, {
      contact: { email: "sim@example.com", fields: { plan: "pro" } },
      event: { params: { amount: 150 } },
    });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.path.map((p: { step_id: string; outcome: string }) => [p.step_id, p.outcome])).toEqual([
      ["s1", "queued"],
      ["s2", "waiting"],
      ["s3", "yes"],
      ["s4", "queued"],
    ]);
    expect(Date.parse(data.path[2].at) - Date.parse(data.path[0].at)).toBe(2 * 86_400_000);
    expect(data.emails).toEqual([
      { step_id: "s1", subject: "Hi pro", html: "<p>Hello sim@example.com</p>", text: "Hello sim@example.com" },
      { step_id: "s4", subject: "Big spender 150", html: "<b>pro</b>", text: "pro" },
    ]);
    expect(await t.store.db.selectFrom("runs").selectAll().execute()).toEqual(before);
  });

  it("the automation limit and the test clock API", async () => {
    const small = await testApp(dialect, { MAILWRIGHT_MAX_AUTOMATIONS: "1" });
    try {
      const acc = await small.newAccount();
      const def = { name: "x", trigger: { type: "contact_created" }, steps: [] };
      expect((await small.call(acc, "POST", "/api/automations", def)).statusCode).toBe(201);
      const over = await small.call(acc, "POST", "/api/automations", def);
      expect(over.statusCode).toBe(422);
      expect(over.json().errors.base).toEqual(["You can have up to 1 automations"]);
      expect((await small.call(acc, "GET", "/api/test-clock")).statusCode).toBe(404);
    } finally {
      await small.close();
    }
    const acc = await t.newAccount();
    const before = Date.parse((await t.call(acc, "GET", "/api/test-clock")).json().data.now);
    const after = Date.parse((await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 3600 })).json().data.now);
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
    expect((await t.call(acc, "POST", "/api/test-clock/advance", { seconds: -5 })).statusCode).toBe(422);
  });
});

describe.each(DIALECTS)("monthly run quota on %s", (dialect) => {
  it("refuses entries beyond the quota with reason quota", async () => {
    const t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1", MAILWRIGHT_MONTHLY_RUN_QUOTA: "2" });
    try {
      const { acc } = await seedAccount(t);
      const id = await createActive(t, acc, {
        name: "q",
        trigger: { type: "contact_created" },
        entry_step_id: "u",
        steps: [{ id: "u", type: "unsubscribe", next: null }],
      });
      for (const n of [1, 2, 3]) await contact(t, acc, `q${n}@example.com`);
      await settle(t);
      expect(await runsOf(t, acc, id)).toHaveLength(2);
      expect(await refusalsOf(t, id)).toEqual(["quota"]);
    } finally {
      await t.close();
    }
  });
});
