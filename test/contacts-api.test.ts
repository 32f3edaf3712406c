import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "./helpers/test-app.ts";

describe.each(DIALECTS)("contacts API on %s", (dialect) => {
  let t: TestApp;
  let acct: TestAccount;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  async function triggerEvents(accountId: number) {
    const rows = await t.store.db.selectFrom("trigger_events").selectAll().where("account_id", "=", accountId).orderBy("id").execute();
    return rows.map((r) => ({ type: r.type, contact_id: r.contact_id, ...JSON.parse(r.payload) }));
  }

  it("creates a contact, reads it by uuid and by URL-encoded email, in both path styles", async () => {
    acct = await t.newAccount();
    await t.call(acct, "POST", "/api/contacts/fields", { name: "First name", data_type: "text", merge_tag: "first_name" });
    const list = (await t.call(acct, "POST", "/api/contacts/lists", { name: "Customers" })).json();
    const created = await t.call(acct, "POST", "/api/contacts", {
      contact: { email: "John.Smith@Example.com", fields: { first_name: "John" }, list_ids: [list.id] },
    });
    expect(created.statusCode).toBe(201);
    const data = created.json().data;
    expect(data).toMatchObject({
      email: "john.smith@example.com",
      status: "subscribed",
      fields: { first_name: "John" },
      list_ids: [list.id],
    });
    expect(typeof data.created_at).toBe("number");
    for (const url of [
      `/api/contacts/${data.id}`,
      `/api/contacts/${encodeURIComponent("john.smith@example.com")}`,
      `/api/accounts/${acct.accountId}/contacts/${data.id}`,
    ]) {
      const got = await t.call(acct, "GET", url);
      expect(got.statusCode).toBe(200);
      expect(got.json().data).toEqual(data);
    }
    const events = await triggerEvents(acct.accountId);
    expect(events.map((e) => e.type)).toEqual(["contact_created", "contact_added_to_list"]);
  });

  it("refuses a second contact with the same address, whatever its case", async () => {
    const res = await t.call(acct, "POST", "/api/contacts", { contact: { email: "JOHN.smith@example.com" } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { email: ["has already been taken"] } });
  });

  it("PATCH upserts: updates an existing contact and records only what really changed", async () => {
    const acc = await t.newAccount();
    await t.call(acc, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    await t.call(acc, "POST", "/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
    const l1 = (await t.call(acc, "POST", "/api/contacts/lists", { name: "A" })).json().id;
    const l2 = (await t.call(acc, "POST", "/api/contacts/lists", { name: "B" })).json().id;
    const first = await t.call(acc, "PATCH", "/api/contacts/ann%40example.com", {
      contact: { email: "ann@example.com", fields: { plan: "free", age: 30 }, list_ids_included: [l1] },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().action).toBe("created");
    const id = first.json().data.id;

    const second = await t.call(acc, "PATCH", `/api/contacts/${id}`, {
      contact: {
        email: "ann@example.com",
        fields: { plan: "pro", age: "30" },
        list_ids_included: [l1, l2],
        list_ids_excluded: [],
        unsubscribed: true,
      },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      action: "updated",
      data: { id, status: "unsubscribed", fields: { plan: "pro", age: 30 }, list_ids: [l1, l2] },
    });

    const events = (await triggerEvents(acc.accountId)).map(({ type, merge_tag, from, to, list_id }) => ({
      type,
      merge_tag,
      from,
      to,
      list_id,
    }));
    expect(events).toEqual([
      { type: "contact_created" },
      { type: "contact_added_to_list", list_id: l1 },
      { type: "contact_field_updated", merge_tag: "plan", from: "free", to: "pro" },
      { type: "contact_unsubscribed" },
      { type: "contact_added_to_list", list_id: l2 },
    ]);

    // The same PATCH again changes nothing and records nothing.
    const again = await t.call(acc, "PATCH", `/api/contacts/${id}`, {
      contact: { email: "ann@example.com", fields: { plan: "pro" }, list_ids_included: [l1] },
    });
    expect(again.json().data.updated_at).toBe(second.json().data.updated_at);
    expect(await triggerEvents(acc.accountId)).toHaveLength(5);

    const removed = await t.call(acc, "PATCH", `/api/contacts/${id}`, { contact: { email: "ann@example.com", list_ids_excluded: [l1] } });
    expect(removed.json().data.list_ids).toEqual([l2]);
    expect((await triggerEvents(acc.accountId)).at(-1)).toMatchObject({ type: "contact_removed_from_list", list_id: l1 });
  });

  it("refuses a list in both included and excluded, changing nothing", async () => {
    const acc = await t.newAccount();
    const l = (await t.call(acc, "POST", "/api/contacts/lists", { name: "A" })).json().id;
    const res = await t.call(acc, "PATCH", "/api/contacts/x%40example.com", {
      contact: { email: "x@example.com", list_ids_included: [l], list_ids_excluded: [l] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { base: [`same list_ids ${l} are specified both as included and excluded`] } });
    expect((await t.call(acc, "GET", "/api/contacts/x%40example.com")).statusCode).toBe(404);
  });

  it("validates field values by type and names each field", async () => {
    const acc = await t.newAccount();
    for (const [merge_tag, data_type] of [
      ["n", "integer"],
      ["f", "float"],
      ["b", "boolean"],
      ["d", "date"],
      ["t", "text"],
    ]) {
      expect((await t.call(acc, "POST", "/api/contacts/fields", { name: merge_tag, data_type, merge_tag })).statusCode).toBe(201);
    }
    const bad = await t.call(acc, "POST", "/api/contacts", {
      contact: { email: "a@example.com", fields: { n: 1.5, f: "x", b: "yes", d: "2024-02-30", t: "x".repeat(256), zz: 1 } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual({
      n: ["is invalid"],
      f: ["is invalid"],
      b: ["is invalid"],
      d: ["is invalid"],
      t: ["is too long (maximum is 255 characters)"],
      fields: ["contains unknown field: zz"],
    });
    const good = await t.call(acc, "POST", "/api/contacts", {
      contact: { email: "a@example.com", fields: { n: "42", f: 1.5, b: true, d: "2024-02-29", t: "hello" } },
    });
    expect(good.json().data.fields).toEqual({ n: 42, f: 1.5, b: true, d: "2024-02-29", t: "hello" });
  });

  it("records custom events and 404s for an unknown contact", async () => {
    const acc = await t.newAccount();
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "ev@example.com" } });
    const res = await t.call(acc, "POST", "/api/contacts/ev%40example.com/events", {
      name: "UserLogin",
      params: { user_id: 101, is_active: true, last_seen: null },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      contact_email: "ev@example.com",
      name: "UserLogin",
      params: { user_id: 101, is_active: true, last_seen: null },
    });
    expect((await triggerEvents(acc.accountId)).at(-1)).toMatchObject({
      type: "custom_event",
      name: "UserLogin",
      params: { user_id: 101 },
    });
    const missing = await t.call(acc, "POST", "/api/contacts/nobody%40example.com/events", { name: "X" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "Not Found" });
    const long = await t.call(acc, "POST", "/api/contacts/ev%40example.com/events", {
      name: "x".repeat(256),
      params: { ["k".repeat(256)]: 1 },
    });
    expect(long.statusCode).toBe(422);
    expect(long.json().errors.name).toEqual(["is too long (maximum is 255 characters)"]);
  });

  it("deletes a contact, erases its data, keeps a suppression and answers Mailtrap's 404 after", async () => {
    const acc = await t.newAccount();
    const c = (await t.call(acc, "POST", "/api/contacts", { contact: { email: "gone@example.com" } })).json().data;
    await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "Seen", params: { secret: "x" } });
    const del = await t.call(acc, "DELETE", "/api/contacts/gone%40example.com");
    expect(del.statusCode).toBe(204);
    const again = await t.call(acc, "DELETE", "/api/contacts/gone%40example.com");
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ errors: "Contact(s) not found" });
    const events = await triggerEvents(acc.accountId);
    expect(events.at(-1)).toMatchObject({ type: "contact_deleted", contact_id: c.id });
    expect(JSON.stringify(events)).not.toContain("secret");
    expect(await t.store.db.selectFrom("contact_events").selectAll().where("contact_id", "=", c.id).execute()).toEqual([]);
    // Re-adding the erased address keeps it unsubscribed: it is never mailed by accident.
    const back = await t.call(acc, "POST", "/api/contacts", { contact: { email: "gone@example.com" } });
    expect(back.json().data.status).toBe("unsubscribed");
  });

  it("answers 401 to a wrong token and 403 to another account's path", async () => {
    const acc = await t.newAccount();
    const wrong = await t.app.inject({ method: "GET", url: "/api/contacts/fields", headers: { authorization: "Bearer nope" } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: "Incorrect API token" });
    const none = await t.app.inject({ method: "GET", url: "/api/contacts/fields" });
    expect(none.statusCode).toBe(401);
    const viaHeader = await t.app.inject({ method: "GET", url: "/api/contacts/fields", headers: { "api-token": acc.token } });
    expect(viaHeader.statusCode).toBe(200);
    const other = await t.call(acc, "GET", `/api/accounts/${acc.accountId + 1000}/contacts/fields`);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ errors: "Account access forbidden" });
  });
});
