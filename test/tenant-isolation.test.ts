import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "./helpers/test-app.ts";
import { accountRows, snapshotDb } from "./helpers/db-snapshot.ts";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** What account A owns; every id here must mean nothing to account B. */
interface Owned {
  contactId: string;
  email: string;
  listId: number;
  fieldId: number;
  templateId: number;
  importId: number;
  exportId: number;
}

const NOT_FOUND = { error: "Not Found" };
const CONTACT_NOT_FOUND = { errors: "Contact(s) not found" };
const FORBIDDEN = { errors: "Account access forbidden" };

describe.each(DIALECTS)("tenant isolation on %s", (dialect) => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  let owned: Owned;
  let bContactId: string;

  async function ok(account: TestAccount, method: Method, url: string, body?: unknown, headers?: Record<string, string>) {
    const res = await t.call(account, method, url, body, headers);
    if (res.statusCode >= 300) throw new Error(`setup ${method} ${url} failed: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  beforeAll(async () => {
    t = await testApp(dialect);
    a = await t.newAccount();
    b = await t.newAccount();
    const field = await ok(a, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    await ok(a, "POST", "/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
    const list = await ok(a, "POST", "/api/contacts/lists", { name: "A customers" });
    const contact = (
      await ok(a, "POST", "/api/contacts", {
        contact: { email: "ann@a.example.com", fields: { plan: "pro", age: 41 }, list_ids: [list.id] },
      })
    ).data;
    await ok(a, "POST", `/api/contacts/${contact.id}/events`, { name: "purchased", params: { amount: 10 } });
    const template = await ok(a, "POST", "/api/email_templates", {
      email_template: { name: "A welcome", subject: "Hi", category: "Onboarding" },
    });
    const imported = await ok(a, "POST", "/api/contacts/imports", {
      contacts: [{ email: "ian@a.example.com", fields: { plan: "free" }, list_ids_included: [list.id] }],
    });
    await t.services.jobs.drain();
    const exported = await ok(a, "POST", "/api/contacts/exports", { filters: [] });
    await t.services.jobs.drain();
    // A reaches all of it: the refusals below are about B, not about broken rows.
    expect((await t.call(a, "GET", `/api/contacts/exports/${exported.id}/download`)).body).toContain("ann@a.example.com");
    expect((await ok(a, "GET", `/api/contacts/imports/${imported.id}`)).status).toBe("finished");
    owned = {
      contactId: contact.id,
      email: contact.email,
      listId: list.id,
      fieldId: field.id,
      templateId: template.id,
      importId: imported.id,
      exportId: exported.id,
    };

    // B has rows of its own, so its requests are otherwise valid.
    await ok(b, "POST", "/api/contacts/lists", { name: "B customers" });
    bContactId = (await ok(b, "POST", "/api/contacts", { contact: { email: "bob@b.example.com" } })).data.id;
  });
  afterAll(() => t.close());

  /** Requests B makes that must be refused, each with the exact answer expected. */
  function refusals(): [Method, string, unknown, number, unknown][] {
    const o = owned;
    const byEmail = encodeURIComponent(o.email);
    const contactBody = { contact: { email: o.email } };
    const list: [Method, string, unknown, number, unknown][] = [
      ["GET", `/api/contacts/${o.contactId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/${o.contactId.toUpperCase()}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/${byEmail}`, undefined, 404, NOT_FOUND],
      ["DELETE", `/api/contacts/${o.contactId}`, undefined, 404, CONTACT_NOT_FOUND],
      ["DELETE", `/api/contacts/${byEmail}`, undefined, 404, CONTACT_NOT_FOUND],
      ["POST", `/api/contacts/${o.contactId}/events`, { name: "hijack" }, 404, NOT_FOUND],
      ["POST", `/api/contacts/${byEmail}/events`, { name: "hijack", params: { x: 1 } }, 404, NOT_FOUND],
      ["GET", `/api/contacts/lists/${o.listId}`, undefined, 404, NOT_FOUND],
      ["PATCH", `/api/contacts/lists/${o.listId}`, { name: "Taken over" }, 404, NOT_FOUND],
      ["DELETE", `/api/contacts/lists/${o.listId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/fields/${o.fieldId}`, undefined, 404, NOT_FOUND],
      ["PATCH", `/api/contacts/fields/${o.fieldId}`, { name: "Taken over" }, 404, NOT_FOUND],
      ["DELETE", `/api/contacts/fields/${o.fieldId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/email_templates/${o.templateId}`, undefined, 404, NOT_FOUND],
      ["PATCH", `/api/email_templates/${o.templateId}`, { email_template: { name: "Taken over" } }, 404, NOT_FOUND],
      ["DELETE", `/api/email_templates/${o.templateId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/imports/${o.importId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/exports/${o.exportId}`, undefined, 404, NOT_FOUND],
      ["GET", `/api/contacts/exports/${o.exportId}/download`, undefined, 404, NOT_FOUND],
      // A's lists cannot be joined, left or imported into from B.
      [
        "POST",
        "/api/contacts",
        { contact: { email: "new@b.example.com", list_ids: [o.listId] } },
        422,
        { errors: { list_ids: [`contains invalid data: list ${o.listId} not found`] } },
      ],
      [
        "PATCH",
        `/api/contacts/${bContactId}`,
        { contact: { email: "bob@b.example.com", list_ids_included: [o.listId] } },
        422,
        { errors: { list_ids_included: [`contains invalid data: list ${o.listId} not found`] } },
      ],
      [
        "PATCH",
        `/api/contacts/${bContactId}`,
        { contact: { email: "bob@b.example.com", list_ids_excluded: [o.listId] } },
        422,
        { errors: { list_ids_excluded: [`contains invalid data: list ${o.listId} not found`] } },
      ],
      [
        "POST",
        "/api/contacts/imports",
        { contacts: [{ email: "imp@b.example.com", list_ids_included: [o.listId] }] },
        422,
        { errors: [{ email: "imp@b.example.com", errors: { base: [`lists not found: ${o.listId}`] } }] },
      ],
      // A's fields are unknown merge tags in B.
      [
        "POST",
        "/api/contacts",
        { contact: { email: "new@b.example.com", fields: { plan: "pro" } } },
        422,
        { errors: { fields: ["contains unknown field: plan"] } },
      ],
      [
        "PATCH",
        `/api/contacts/${bContactId}`,
        { contact: { email: "bob@b.example.com", fields: { age: 3 } } },
        422,
        { errors: { fields: ["contains unknown field: age"] } },
      ],
      [
        "POST",
        "/api/contacts/imports",
        { contacts: [{ email: "imp@b.example.com", fields: { plan: "pro" } }] },
        422,
        { errors: [{ email: "imp@b.example.com", errors: { field_merge_tag: ["contains unknown field: plan"] } }] },
      ],
    ];

    // A's account-scoped paths, whatever the method and resource, are forbidden to B's token.
    const scoped = `/api/accounts/${a.accountId}`;
    const forbidden: [Method, string, unknown][] = [
      ["GET", "/contacts/lists", undefined],
      ["GET", "/contacts/fields", undefined],
      ["GET", "/email_templates", undefined],
      ["GET", `/contacts/${o.contactId}`, undefined],
      ["GET", `/contacts/${byEmail}`, undefined],
      ["POST", "/contacts", { contact: { email: "new@b.example.com" } }],
      ["PATCH", `/contacts/${byEmail}`, contactBody],
      ["DELETE", `/contacts/${o.contactId}`, undefined],
      ["POST", `/contacts/${o.contactId}/events`, { name: "hijack" }],
      ["POST", "/contacts/lists", { name: "Planted" }],
      ["PATCH", `/contacts/lists/${o.listId}`, { name: "Taken over" }],
      ["DELETE", `/contacts/lists/${o.listId}`, undefined],
      ["POST", "/contacts/fields", { name: "Planted", data_type: "text", merge_tag: "planted" }],
      ["PATCH", `/contacts/fields/${o.fieldId}`, { name: "Taken over" }],
      ["DELETE", `/contacts/fields/${o.fieldId}`, undefined],
      ["POST", "/contacts/imports", { contacts: [{ email: "planted@a.example.com" }] }],
      ["GET", `/contacts/imports/${o.importId}`, undefined],
      ["POST", "/contacts/exports", { filters: [] }],
      ["GET", `/contacts/exports/${o.exportId}`, undefined],
      ["GET", `/contacts/exports/${o.exportId}/download`, undefined],
      ["POST", "/email_templates", { email_template: { name: "Planted", subject: "s", category: "c" } }],
      ["PATCH", `/email_templates/${o.templateId}`, { email_template: { name: "Taken over" } }],
      ["DELETE", `/email_templates/${o.templateId}`, undefined],
    ];
    for (const [method, path, body] of forbidden) list.push([method, scoped + path, body, 403, FORBIDDEN]);
    return list;
  }

  it("refuses B every resource of A, exactly, and the database does not change", async () => {
    const before = await snapshotDb(t.store);
    const answers = [];
    for (const [method, url, body] of refusals()) {
      const res = await t.call(b, method, url, body);
      answers.push({ request: `${method} ${url}`, status: res.statusCode, body: res.json() as unknown });
    }
    expect(answers).toEqual(refusals().map(([method, url, , status, body]) => ({ request: `${method} ${url}`, status, body })));
    expect(await snapshotDb(t.store)).toEqual(before);
  });

  it("shows B only its own rows in every collection", async () => {
    const names = async (url: string) => ((await ok(b, "GET", url)) as { name: string }[]).map((r) => r.name);
    expect(await names("/api/contacts/lists")).toEqual(["B customers"]);
    expect(await names("/api/contacts/lists?search=A")).toEqual([]);
    expect(await names("/api/contacts/fields")).toEqual([]);
    expect(await names("/api/email_templates")).toEqual([]);
  });

  it("PATCH by A's address or uuid upserts into B's own account and leaves A's rows alone", async () => {
    const before = await snapshotDb(t.store);
    const byEmail = await t.call(b, "PATCH", `/api/contacts/${encodeURIComponent(owned.email)}`, {
      contact: { email: owned.email, unsubscribed: true },
    });
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.json()).toMatchObject({
      action: "created",
      data: { email: owned.email, status: "unsubscribed", fields: {}, list_ids: [] },
    });
    expect(byEmail.json().data.id).not.toBe(owned.contactId);

    const byUuid = await t.call(b, "PATCH", `/api/contacts/${owned.contactId}`, { contact: { email: "other@b.example.com" } });
    expect(byUuid.statusCode).toBe(200);
    expect(byUuid.json()).toMatchObject({ action: "created", data: { email: "other@b.example.com" } });
    expect(byUuid.json().data.id).not.toBe(owned.contactId);

    const after = await snapshotDb(t.store);
    expect(accountRows(after, a.accountId)).toEqual(accountRows(before, a.accountId));
    // A still sees its contact as it was.
    expect((await ok(a, "GET", `/api/contacts/${owned.contactId}`)).data).toMatchObject({
      email: owned.email,
      status: "subscribed",
      fields: { plan: "pro", age: 41 },
      list_ids: [owned.listId],
    });
  });

  it("B's export filtered by A's list is refused, naming the list, and nothing is queued", async () => {
    const before = await snapshotDb(t.store);
    const res = await t.call(b, "POST", "/api/contacts/exports", {
      filters: [{ name: "list_id", operator: "equal", value: [owned.listId] }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { filters: [`contains invalid data: list ${owned.listId} not found`] } });
    expect(await snapshotDb(t.store)).toEqual(before);
    // B's own list still exports.
    const mine = (await ok(b, "GET", "/api/contacts/lists")) as { id: number }[];
    const exported = await ok(b, "POST", "/api/contacts/exports", {
      filters: [{ name: "list_id", operator: "equal", value: [mine[0]!.id] }],
    });
    await t.services.jobs.drain();
    expect((await t.call(b, "GET", `/api/contacts/exports/${exported.id}/download`)).body).not.toContain("a.example.com");
  });

  it("an idempotency key A used replays nothing of A's to B", async () => {
    const headers = { "idempotency-key": "shared-key-1" };
    const first = await ok(a, "POST", "/api/contacts/lists", { name: "Keyed" }, headers);
    const before = await snapshotDb(t.store);
    const res = await t.call(b, "POST", "/api/contacts/lists", { name: "Keyed" }, headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers["idempotent-replayed"]).toBeUndefined();
    expect(res.json().id).not.toBe(first.id);
    expect((await ok(b, "GET", `/api/contacts/lists/${res.json().id}`)).name).toBe("Keyed");
    expect(accountRows(await snapshotDb(t.store), a.accountId)).toEqual(accountRows(before, a.accountId));
  });
});
