import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestApp, testApp } from "./helpers/test-app.ts";

describe.each(DIALECTS)("fields, lists, templates, imports and exports on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_MAX_FIELDS: "3", MAILWRIGHT_MAX_CONTACTS: "3" });
  });
  afterAll(() => t.close());

  it("fields: unique merge tags, a per-account limit, data_type fixed, deletion erases values", async () => {
    const acc = await t.newAccount();
    const f = (await t.call(acc, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" })).json();
    const dup = await t.call(acc, "POST", "/api/contacts/fields", { name: "Other", data_type: "text", merge_tag: "plan" });
    expect(dup.statusCode).toBe(422);
    expect(dup.json()).toEqual({ errors: { merge_tag: ["has already been taken"] } });
    await t.call(acc, "POST", "/api/contacts/fields", { name: "B", data_type: "integer", merge_tag: "b" });
    await t.call(acc, "POST", "/api/contacts/fields", { name: "C", data_type: "date", merge_tag: "c" });
    const over = await t.call(acc, "POST", "/api/contacts/fields", { name: "D", data_type: "float", merge_tag: "d" });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors.base).toEqual(["You can have up to 3 fields"]);
    const retype = await t.call(acc, "PATCH", `/api/contacts/fields/${f.id}`, { data_type: "integer" });
    expect(retype.json()).toEqual({ errors: { data_type: ["cannot be changed"] } });
    const renamed = await t.call(acc, "PATCH", `/api/contacts/fields/${f.id}`, { name: "Plan name", merge_tag: "plan_name" });
    expect(renamed.json()).toEqual({ id: f.id, name: "Plan name", data_type: "text", merge_tag: "plan_name" });

    const c = (
      await t.call(acc, "POST", "/api/contacts", { contact: { email: "f@example.com", fields: { plan_name: "pro", b: 2 } } })
    ).json().data;
    expect(c.fields).toEqual({ plan_name: "pro", b: 2 });
    expect((await t.call(acc, "DELETE", `/api/contacts/fields/${f.id}`)).statusCode).toBe(204);
    expect((await t.call(acc, "GET", `/api/contacts/fields/${f.id}`)).statusCode).toBe(404);
    const row = await t.store.db.selectFrom("contacts").select("fields").where("id", "=", c.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.fields)).toEqual({ [String(f.id + 1)]: 2 });
  });

  it("lists: unique names and a case-insensitive prefix search", async () => {
    const acc = await t.newAccount();
    for (const name of ["Customers", "customers 2024", "Old contacts", "100%_sure"])
      await t.call(acc, "POST", "/api/contacts/lists", { name });
    const taken = await t.call(acc, "POST", "/api/contacts/lists", { name: "Customers" });
    expect(taken.json()).toEqual({ errors: { name: ["has already been taken"] } });
    const found = (await t.call(acc, "GET", "/api/contacts/lists?search=CUST")).json();
    expect(found.map((l: { name: string }) => l.name)).toEqual(["Customers", "customers 2024"]);
    expect((await t.call(acc, "GET", "/api/contacts/lists?search=100%25_")).json()).toHaveLength(1);
    expect((await t.call(acc, "GET", "/api/contacts/lists?search=%25")).json()).toHaveLength(0);
  });

  it("templates: Handlebars must compile, required attributes are named", async () => {
    const acc = await t.newAccount();
    const bad = await t.call(acc, "POST", "/api/email_templates", {
      email_template: { name: "W", subject: "Hi {{name", category: "", body_html: "{{#if x}}open" },
    });
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.json().errors).sort()).toEqual(["body_html", "category", "subject"]);
    const ok = await t.call(acc, "POST", "/api/email_templates", {
      email_template: { name: "Welcome", subject: "Hi {{first_name}}", category: "onboarding", body_html: "<p>Hi</p>" },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: "Welcome", body_text: "", uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const patched = await t.call(acc, "PATCH", `/api/email_templates/${ok.json().id}`, { email_template: { subject: "New" } });
    expect(patched.json()).toMatchObject({ name: "Welcome", subject: "New" });
  });

  it("imports: per-contact errors refuse the whole request; the job counts created, updated and over-limit", async () => {
    const acc = await t.newAccount();
    await t.call(acc, "POST", "/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
    const refused = await t.call(acc, "POST", "/api/contacts/imports", {
      contacts: [{ email: "ok@example.com" }, { email: "bad", fields: { age: "x", nope: 1 }, list_ids_included: [999] }],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({
      errors: [
        {
          email: "bad",
          errors: {
            email: ["is invalid"],
            fields: ["age is invalid"],
            field_merge_tag: ["contains unknown field: nope"],
            base: ["lists not found: 999"],
          },
        },
      ],
    });
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "a@example.com" } });
    const contacts = ["a", "b", "c", "d", "e"].map((n, i) => ({ email: `${n}@example.com`, fields: { age: i } }));
    const created = await t.call(acc, "POST", "/api/contacts/imports", { contacts });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ id: expect.any(Number), status: "created" });
    await t.services.jobs.drain();
    const done = (await t.call(acc, "GET", `/api/contacts/imports/${created.json().id}`)).json();
    expect(done).toEqual({
      id: created.json().id,
      status: "finished",
      created_contacts_count: 2,
      updated_contacts_count: 1,
      contacts_over_limit_count: 2,
    });
    const a = (await t.call(acc, "GET", "/api/contacts/a%40example.com")).json().data;
    expect(a.fields).toEqual({ age: 0 });
  });

  it("exports: filters by list and status; the CSV neutralises formula cells and needs the token", async () => {
    const acc = await t.newAccount();
    const list = (await t.call(acc, "POST", "/api/contacts/lists", { name: "L" })).json().id;
    await t.call(acc, "POST", "/api/contacts/fields", { name: "Note", data_type: "text", merge_tag: "note" });
    await t.call(acc, "POST", "/api/contacts", {
      contact: { email: "in@example.com", fields: { note: '=HYPERLINK("http://evil")' }, list_ids: [list] },
    });
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "out@example.com" } });
    const badFilter = await t.call(acc, "POST", "/api/contacts/exports", {
      filters: [{ name: "list_id", operator: "like", value: [list] }],
    });
    expect(badFilter.statusCode).toBe(422);
    const exp = await t.call(acc, "POST", "/api/contacts/exports", {
      filters: [
        { name: "list_id", operator: "equal", value: [list] },
        { name: "subscription_status", operator: "equal", value: "subscribed" },
      ],
    });
    expect(exp.statusCode).toBe(201);
    expect(exp.json()).toMatchObject({ status: "created", url: null });
    const second = await t.call(acc, "POST", "/api/contacts/exports", {});
    expect(second.json().errors.base[0]).toMatch(/previous export/);
    await t.services.jobs.drain();
    const done = (await t.call(acc, "GET", `/api/contacts/exports/${exp.json().id}`)).json();
    expect(done.status).toBe("finished");
    const path = new URL(done.url).pathname;
    expect((await t.app.inject({ method: "GET", url: path })).statusCode).toBe(401);
    const csv = await t.call(acc, "GET", path);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body).toContain("in@example.com");
    expect(csv.body).not.toContain("out@example.com");
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});

describe.each(DIALECTS)("template preview on %s", (dialect) => {
  it("renders against a contact, given values, or sample data; writes nothing", async () => {
    const t = await testApp(dialect);
    try {
      const acc = await t.newAccount();
      await t.call(acc, "POST", "/api/contacts/fields", { name: "First", data_type: "text", merge_tag: "first_name" });
      await t.call(acc, "POST", "/api/contacts", { contact: { email: "ann@example.com", fields: { first_name: "<b>Ann</b>" } } });
      const tpl = (
        await t.call(acc, "POST", "/api/email_templates", {
          email_template: {
            name: "P",
            category: "c",
            subject: "Hi {{first_name}}",
            body_html: "<p>Hello {{first_name}} ({{email}}) {{event.params.plan}}</p>",
          },
        })
      ).json();
      const forContact = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/preview`, {
        contact_id: "ann@example.com",
        event: { params: { plan: "pro" } },
      });
      expect(forContact.statusCode).toBe(200);
      expect(forContact.json().data).toEqual({
        subject: "Hi <b>Ann</b>",
        html: "<p>Hello &lt;b&gt;Ann&lt;/b&gt; (ann@example.com) pro</p>",
        text: "Hello <b>Ann</b> (ann@example.com) pro",
      });
      const sample = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/preview`);
      expect(sample.json().data.subject).toBe("Hi Sample");
      const missing = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/preview`, { contact_id: "nobody@example.com" });
      expect(missing.statusCode).toBe(422);

      // A test send goes through the transport (capture here) to the given address only.
      const sent = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/test_send`, {
        to: "Me@Example.com",
        contact_id: "ann@example.com",
      });
      expect(sent.statusCode).toBe(200);
      expect(sent.json().data).toMatchObject({ to: "me@example.com", accepted: true });
      const outbox = (await t.call(acc, "GET", "/api/outbox/messages?to=me%40example.com")).json().data;
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ to: "me@example.com", subject: "[Test] Hi <b>Ann</b>" });
      expect((await t.call(acc, "POST", `/api/email_templates/${tpl.id}/test_send`, { to: "not-an-address" })).json()).toEqual({
        errors: { to: ["is invalid"] },
      });
    } finally {
      await t.close();
    }
  });
});
