import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import {
  advance,
  contact,
  createActive,
  DAY,
  HOUR,
  journalOf,
  refusalsOf,
  runsOf,
  seedAccount,
  settle,
  welcomeSeries,
} from "./engine-helpers.ts";

describe.each(DIALECTS)("automation engine on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("runs the welcome series: email, 2-day delay, split both ways", async () => {
    const { acc, listA, template } = await seedAccount(t);
    const id = await createActive(t, acc, welcomeSeries(template, listA));
    const pro = await contact(t, acc, "pro@example.com", { fields: { plan: "pro" } });
    const free = await contact(t, acc, "free@example.com", { fields: { plan: "free" } });
    await settle(t);

    let runs = await runsOf(t, acc, id);
    expect(runs.map((r) => [r.status, r.current_step_id])).toEqual([
      ["active", "s2"],
      ["active", "s2"],
    ]);
    const messages = await t.store.db.selectFrom("messages").selectAll().where("automation_id", "=", id).orderBy("to_email").execute();
    expect(messages.map((m) => [m.to_email, m.step_id, m.status])).toEqual([
      ["free@example.com", "s1", "queued"],
      ["pro@example.com", "s1", "queued"],
    ]);

    await advance(t, acc, DAY);
    expect((await runsOf(t, acc, id)).every((r) => r.status === "active" && r.current_step_id === "s2")).toBe(true);

    await advance(t, acc, DAY + 60);
    runs = await runsOf(t, acc, id);
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed"]);
    const proGot = (await t.call(acc, "GET", `/api/contacts/${pro.id}`)).json().data;
    const freeGot = (await t.call(acc, "GET", `/api/contacts/${free.id}`)).json().data;
    expect(proGot.list_ids).toEqual([listA]);
    expect(freeGot.list_ids).toEqual([]);

    // The journal says why each went where it went.
    const proRun = runs.find((r) => r.contact_id === pro.id)!;
    const journal = await journalOf(t, proRun.id);
    expect(journal.map((j) => [j.step_id, j.outcome])).toEqual([
      ["s1", "queued"],
      ["s2", "done"],
      ["s3", "yes"],
      ["s4", "done"],
    ]);
    expect(JSON.parse(journal[2]!.detail!)).toMatchObject({
      result: true,
      rules: [{ subject: "field.plan", actual: "pro", expected: "pro" }],
    });
  });

  it("each trigger enrolls on a real change only; custom events match their name exactly", async () => {
    const { acc, listA, listB } = await seedAccount(t);
    const unsub = { id: "x", type: "unsubscribe" as const, next: null };
    const onField = await createActive(t, acc, {
      name: "f",
      trigger: { type: "contact_field_updated", field: "plan", to: "pro" },
      entry_step_id: "x",
      steps: [unsub],
    });
    const onAdded = await createActive(t, acc, {
      name: "a",
      trigger: { type: "contact_added_to_list", list_ids: [listA] },
      entry_step_id: "x",
      steps: [unsub],
    });
    const onRemoved = await createActive(t, acc, {
      name: "r",
      trigger: { type: "contact_removed_from_list", list_ids: [listB] },
      entry_step_id: "x",
      steps: [unsub],
    });
    const onEvent = await createActive(t, acc, {
      name: "e",
      trigger: { type: "custom_event", event: "Purchase" },
      entry_step_id: "x",
      steps: [unsub],
    });

    const c = await contact(t, acc, "trig@example.com", { fields: { plan: "free" }, list_ids: [listB] });
    await t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, fields: { plan: "basic" } } });
    await t.call(acc, "PATCH", `/api/contacts/${c.id}`, {
      contact: { email: c.email, fields: { plan: "pro" }, list_ids_included: [listA], list_ids_excluded: [listB] },
    });
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "purchase" });
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "Purchase", params: { amount: 5 } });
    await settle(t);
    for (const id of [onField, onAdded, onRemoved, onEvent]) {
      expect((await runsOf(t, acc, id)).map((r) => r.status)).toEqual(["completed"]);
    }
    // Setting the field to its current value again changes nothing: no new trigger, no refusal.
    await advance(t, acc, 25 * HOUR);
    await t.call(acc, "PATCH", `/api/contacts/${c.id}`, {
      contact: { email: c.email, fields: { plan: "pro" }, list_ids_included: [listA] },
    });
    await settle(t);
    expect(await runsOf(t, acc, onField)).toHaveLength(1);
    expect(await runsOf(t, acc, onAdded)).toHaveLength(1);
    expect(await refusalsOf(t, onField)).toEqual([]);
  });

  it("a change before an automation is active never enrolls, and stays in the contact's history", async () => {
    const { acc } = await seedAccount(t);
    const def = {
      name: "late",
      trigger: { type: "custom_event" as const, event: "Signup" },
      entry_step_id: "x",
      steps: [{ id: "x", type: "unsubscribe" as const, next: null }],
    };
    const created = await t.call(acc, "POST", "/api/automations", def);
    const id = created.json().data.id as number;
    const c = await contact(t, acc, "early@example.com");
    // Posted while the automation is a draft, and not dispatched before it is activated.
    expect((await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "Signup" })).statusCode).toBe(201);
    expect((await t.call(acc, "POST", `/api/automations/${id}/activate`)).statusCode).toBe(200);
    await settle(t);
    expect(await runsOf(t, acc, id)).toEqual([]);
    const activity = (await t.call(acc, "GET", `/api/contacts/${c.id}/activity`)).json().data as { kind: string; name?: string }[];
    expect(activity.filter((i) => i.kind === "event").map((i) => i.name)).toEqual(["Signup"]);
    // Once active, the same event enrolls.
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "Signup" });
    await settle(t);
    expect((await runsOf(t, acc, id)).map((r) => r.status)).toEqual(["completed"]);
  });

  it("each action changes the contact; email to an unsubscribed contact is skipped and the run goes on", async () => {
    const { acc, listA, listB } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "actions",
      trigger: { type: "custom_event", event: "go" },
      entry_step_id: "a",
      steps: [
        { id: "a", type: "update_field", field: "age", value: 42, next: "b" },
        { id: "b", type: "add_to_lists", list_ids: [listA, listB], next: "c" },
        { id: "c", type: "remove_from_lists", list_ids: [listB], next: "d" },
        { id: "d", type: "unsubscribe", next: "e" },
        { id: "e", type: "send_email", email: { subject: "Hi", text: "Hello" }, next: "f" },
        { id: "f", type: "condition", rules: [{ kind: "field", field: "age", op: "gte", value: 40 }], yes: null, no: null },
      ],
    });
    const c = await contact(t, acc, "act@example.com");
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "go" });
    await settle(t);
    const got = (await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data;
    expect(got).toMatchObject({ status: "unsubscribed", fields: { age: 42 }, list_ids: [listA] });
    const [run] = await runsOf(t, acc, id);
    expect(run!.status).toBe("completed");
    expect((await journalOf(t, run!.id)).map((j) => [j.step_id, j.outcome])).toEqual([
      ["a", "done"],
      ["b", "done"],
      ["c", "done"],
      ["d", "done"],
      ["e", "skipped"],
      ["f", "yes"],
    ]);
    const msg = await t.store.db.selectFrom("messages").select(["status"]).where("run_id", "=", run!.id).execute();
    expect(msg).toEqual([{ status: "skipped" }]);
    // Actions fire trigger events like API changes do.
    const types = await t.store.db.selectFrom("trigger_events").select("type").where("contact_id", "=", c.id).orderBy("id").execute();
    expect(types.map((r) => r.type)).toEqual([
      "contact_created",
      "custom_event",
      "contact_field_updated",
      "contact_added_to_list",
      "contact_added_to_list",
      "contact_removed_from_list",
      "contact_unsubscribed",
    ]);
  });

  it("refuses re-entry within 24 h and allows it after; refusals are recorded", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "re",
      trigger: { type: "custom_event", event: "ping" },
      entry_step_id: "w",
      steps: [{ id: "w", type: "delay", amount: 1, unit: "hours", next: null }],
    });
    const c = await contact(t, acc, "re@example.com");
    const ping = () => t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "ping" });
    await ping();
    await settle(t);
    await ping();
    await settle(t);
    expect(await runsOf(t, acc, id)).toHaveLength(1);
    expect(await refusalsOf(t, id)).toEqual(["reentry"]);
    await advance(t, acc, 24 * HOUR + 1);
    await ping();
    await settle(t);
    expect((await runsOf(t, acc, id)).map((r) => r.status).sort()).toEqual(["active", "completed"]);
  });

  it("chained automations: an action starts another automation; the 24 h rule keeps a loop finite", async () => {
    const { acc, listA, listB } = await seedAccount(t);
    const first = await createActive(t, acc, {
      name: "1",
      trigger: { type: "custom_event", event: "start" },
      entry_step_id: "a",
      steps: [{ id: "a", type: "add_to_lists", list_ids: [listA], next: null }],
    });
    // A loop: on list A → leave A, join B; on list B → leave B, join A.
    const loopA = await createActive(t, acc, {
      name: "A→B",
      trigger: { type: "contact_added_to_list", list_ids: [listA] },
      entry_step_id: "x",
      steps: [
        { id: "x", type: "remove_from_lists", list_ids: [listA], next: "y" },
        { id: "y", type: "add_to_lists", list_ids: [listB], next: null },
      ],
    });
    const loopB = await createActive(t, acc, {
      name: "B→A",
      trigger: { type: "contact_added_to_list", list_ids: [listB] },
      entry_step_id: "x",
      steps: [
        { id: "x", type: "remove_from_lists", list_ids: [listB], next: "y" },
        { id: "y", type: "add_to_lists", list_ids: [listA], next: null },
      ],
    });
    const c = await contact(t, acc, "loop@example.com");
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "start" });
    await settle(t);
    expect(await runsOf(t, acc, first)).toHaveLength(1);
    expect(await runsOf(t, acc, loopA)).toHaveLength(1);
    expect(await runsOf(t, acc, loopB)).toHaveLength(1);
    expect(await refusalsOf(t, loopA)).toEqual(["reentry"]);
    expect((await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data.list_ids).toEqual([listA]);
  });

  it("deleting a contact mid-run exits its runs", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "d",
      trigger: { type: "contact_created" },
      entry_step_id: "w",
      steps: [
        { id: "w", type: "delay", amount: 1, unit: "days", next: "u" },
        { id: "u", type: "unsubscribe", next: null },
      ],
    });
    const c = await contact(t, acc, "bye@example.com");
    await settle(t);
    expect((await t.call(acc, "DELETE", `/api/contacts/${c.id}`)).statusCode).toBe(204);
    await advance(t, acc, 2 * DAY);
    expect((await runsOf(t, acc, id)).map((r) => [r.status, r.exit_reason])).toEqual([["exited", "contact_deleted"]]);
  });
});
