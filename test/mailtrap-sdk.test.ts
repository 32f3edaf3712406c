import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { MailtrapClient } from "mailtrap";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "./helpers/test-app.ts";
import { expectDeclaredEmpty, expectMatchesSpec, type SpecCheckOptions, type SpecName, specPathOf } from "./helpers/mailtrap-spec.ts";

/**
 * The official Mailtrap SDK, unchanged, against Mailwright over a real socket: the only
 * change is where its requests go. Every answer it hands back is checked against Mailtrap's
 * spec for the operation and status the server really sent.
 */

interface WireHit {
  method: string;
  url: string;
  res: ServerResponse;
}

// The SDK hides axios behind a private field; only its request interceptors are touched.
interface SdkAxios {
  interceptors: { request: { use(fn: (config: { url?: string }) => { url?: string }): number } };
}

describe.each(DIALECTS)("the official Mailtrap SDK against Mailwright on %s", (dialect) => {
  let t: TestApp;
  let base: string;
  // What reached the server, so a check knows the real status behind the SDK's unwrapped body.
  const wire: WireHit[] = [];

  beforeAll(async () => {
    t = await testApp(dialect);
    t.app.server.on("request", (req: IncomingMessage, res: ServerResponse) =>
      wire.push({ method: req.method ?? "", url: req.url ?? "", res }),
    );
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = t.app.server.address();
    if (address === null || typeof address === "string") throw new Error("the app is not listening on TCP");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  function sdk(account: TestAccount, accountId = account.accountId): MailtrapClient {
    const client = new MailtrapClient({ token: account.token, accountId });
    const http = (client as unknown as { axios: SdkAxios }).axios;
    http.interceptors.request.use((config) => ({ ...config, url: config.url?.replace(/^https:\/\/mailtrap\.io(?=\/)/, base) }));
    return client;
  }

  /** The one request `call` made: its operation in the spec, e.g. "GET /api/contacts/{contact_identifier}". */
  function onlyHitSince(before: number, spec: SpecName, operation: string): WireHit {
    const hits = wire.slice(before);
    expect(hits.map((h) => `${h.method} ${h.url}`)).toHaveLength(1);
    const hit = hits[0]!;
    const [method, template] = operation.split(" ") as [string, string];
    expect(hit.method).toBe(method);
    expect(hit.url).toMatch(/^\/api\/accounts\/\d+\//);
    expect(specPathOf(spec, method, hit.url)).toBe(template);
    return hit;
  }

  /** Awaits an SDK call, asserts the operation and status it produced, and checks its body against the spec. */
  async function ok<T>(
    spec: SpecName,
    operation: string,
    status: number,
    call: Promise<T>,
    opts: SpecCheckOptions = { allDeclared: true },
  ): Promise<T> {
    const before = wire.length;
    const body = await call;
    const hit = onlyHitSince(before, spec, operation);
    expect(hit.res.statusCode).toBe(status);
    const [method, template] = operation.split(" ") as [string, string];
    if (status === 204) expectDeclaredEmpty(spec, method, template, status, body);
    else expectMatchesSpec(spec, method, template, status, body, opts);
    return body;
  }

  /** Awaits an SDK call that must fail with the status; returns the SDK's error message. */
  async function fails(spec: SpecName, operation: string, status: number, call: Promise<unknown>): Promise<string> {
    const before = wire.length;
    const err: unknown = await call.then(
      () => new Error("the SDK call succeeded"),
      (e: unknown) => e,
    );
    // MailtrapError is not exported by the SDK; its name and axios cause are what callers see.
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).constructor.name).toBe("MailtrapError");
    const response = ((err as Error).cause as { response?: { status: number; data: unknown } } | undefined)?.response;
    expect(response?.status).toBe(status);
    const hit = onlyHitSince(before, spec, operation);
    expect(hit.res.statusCode).toBe(status);
    const [method, template] = operation.split(" ") as [string, string];
    expectMatchesSpec(spec, method, template, status, response?.data, { allDeclared: true });
    return (err as Error).message;
  }

  it("contacts: create, get by id and by encoded email, upsert (created then updated), delete", async () => {
    const acc = await t.newAccount();
    const client = sdk(acc);
    await ok(
      "contacts",
      "POST /api/contacts/fields",
      201,
      client.contactFields.create({ name: "First name", data_type: "text", merge_tag: "first_name" }),
    );
    const list = await ok("contacts", "POST /api/contacts/lists", 200, client.contactLists.create({ name: "Customers" }));

    const created = await ok(
      "contacts",
      "POST /api/contacts",
      201,
      client.contacts.create({ email: "Ann@Example.com", fields: { first_name: "Ann" }, list_ids: [list.id] }),
    );
    expect(created.data).toMatchObject({
      email: "ann@example.com",
      status: "subscribed",
      fields: { first_name: "Ann" },
      list_ids: [list.id],
    });
    const byId = await ok("contacts", "GET /api/contacts/{contact_identifier}", 200, client.contacts.get(created.data.id));
    const byEmail = await ok(
      "contacts",
      "GET /api/contacts/{contact_identifier}",
      200,
      client.contacts.get(encodeURIComponent("ann@example.com")),
    );
    expect(byId).toEqual(created);
    expect(byEmail).toEqual(created);

    const upserted = await ok(
      "contacts",
      "PATCH /api/contacts/{contact_identifier}",
      200,
      client.contacts.update(encodeURIComponent("bob@example.com"), { email: "bob@example.com", list_ids_included: [list.id] }),
    );
    expect(upserted).toMatchObject({ action: "created", data: { email: "bob@example.com", list_ids: [list.id], status: "subscribed" } });
    const updated = await ok(
      "contacts",
      "PATCH /api/contacts/{contact_identifier}",
      200,
      client.contacts.update(upserted.data.id, {
        email: "bob@example.com",
        fields: { first_name: "Bob" },
        list_ids_excluded: [list.id],
        unsubscribed: true,
      }),
    );
    expect(updated).toMatchObject({
      action: "updated",
      data: { id: upserted.data.id, fields: { first_name: "Bob" }, list_ids: [], status: "unsubscribed" },
    });

    await ok("contacts", "DELETE /api/contacts/{contact_identifier}", 204, client.contacts.delete(created.data.id));
    await ok("contacts", "DELETE /api/contacts/{contact_identifier}", 204, client.contacts.delete(encodeURIComponent("bob@example.com")));
    expect(await fails("contacts", "GET /api/contacts/{contact_identifier}", 404, client.contacts.get(created.data.id))).toBe("Not Found");
  });

  it("contact lists: list with and without search, get, create, rename, delete", async () => {
    const client = sdk(await t.newAccount());
    const customers = await ok("contacts", "POST /api/contacts/lists", 200, client.contactLists.create({ name: "Customers" }));
    const leads = await ok("contacts", "POST /api/contacts/lists", 200, client.contactLists.create({ name: "Leads" }));
    expect(customers).toEqual({ id: expect.any(Number), name: "Customers" });

    const all = await ok("contacts", "GET /api/contacts/lists", 200, client.contactLists.getList());
    expect(all).toEqual([customers, leads]);
    const found = await ok("contacts", "GET /api/contacts/lists", 200, client.contactLists.getList({ search: "cust" }));
    expect(found).toEqual([customers]);
    expect(await ok("contacts", "GET /api/contacts/lists/{list_id}", 200, client.contactLists.get(leads.id))).toEqual(leads);

    const renamed = await ok(
      "contacts",
      "PATCH /api/contacts/lists/{list_id}",
      200,
      client.contactLists.update(leads.id, { name: "Prospects" }),
    );
    expect(renamed).toEqual({ id: leads.id, name: "Prospects" });
    await ok("contacts", "DELETE /api/contacts/lists/{list_id}", 204, client.contactLists.delete(leads.id));
    expect(await fails("contacts", "GET /api/contacts/lists/{list_id}", 404, client.contactLists.get(leads.id))).toBe("Not Found");
    expect(await ok("contacts", "GET /api/contacts/lists", 200, client.contactLists.getList())).toEqual([customers]);
  });

  it("contact fields: list, get, create, update, delete", async () => {
    const client = sdk(await t.newAccount());
    // The SDK's types predate the spec's data types (they say "number"); the spec's "integer" is what is sent.
    const age = (await ok(
      "contacts",
      "POST /api/contacts/fields",
      201,
      client.contactFields.create({ name: "Age", data_type: "integer" as "number", merge_tag: "age" }),
    )) as unknown as { id: number };
    expect(age).toEqual({ id: expect.any(Number), name: "Age", data_type: "integer", merge_tag: "age" });
    const fields = await ok("contacts", "GET /api/contacts/fields", 200, client.contactFields.getList());
    expect(fields).toEqual([age]);
    expect(await ok("contacts", "GET /api/contacts/fields/{field_id}", 200, client.contactFields.get(age.id))).toEqual(age);
    const renamed = await ok(
      "contacts",
      "PATCH /api/contacts/fields/{field_id}",
      200,
      client.contactFields.update(age.id, { name: "Age in years" }),
    );
    expect(renamed).toEqual({ ...age, name: "Age in years" });
    await ok("contacts", "DELETE /api/contacts/fields/{field_id}", 204, client.contactFields.delete(age.id));
    expect(await fails("contacts", "GET /api/contacts/fields/{field_id}", 404, client.contactFields.get(age.id))).toBe("Not Found");
  });

  it("contact events: records an event for a contact named by id or by email", async () => {
    const client = sdk(await t.newAccount());
    const contact = await ok("contacts", "POST /api/contacts", 201, client.contacts.create({ email: "eve@example.com" }));
    const params = { user_id: 101, user_name: "Eve", is_active: true, last_seen: null };
    for (const identifier of [contact.data.id, encodeURIComponent("eve@example.com")]) {
      const event = await ok(
        "contacts",
        "POST /api/contacts/{contact_identifier}/events",
        201,
        client.contactEvents.create(identifier, { name: "UserLogin", params }),
      );
      expect(event).toEqual({ contact_id: contact.data.id, contact_email: "eve@example.com", name: "UserLogin", params });
    }
    const unknown = client.contactEvents.create(encodeURIComponent("nobody@example.com"), { name: "UserLogin", params: {} });
    expect(await fails("contacts", "POST /api/contacts/{contact_identifier}/events", 404, unknown)).toBe("Not Found");
  });

  it("imports: queued, then finished with created and updated counts", async () => {
    const client = sdk(await t.newAccount());
    await ok(
      "contacts",
      "POST /api/contacts/fields",
      201,
      client.contactFields.create({ name: "Zip", data_type: "integer" as "number", merge_tag: "zip_code" }),
    );
    const list = await ok("contacts", "POST /api/contacts/lists", 200, client.contactLists.create({ name: "Imported" }));
    await ok("contacts", "POST /api/contacts", 201, client.contacts.create({ email: "old@example.com" }));

    const contacts = ["old", "new1", "new2"].map((n, i) => ({
      email: `${n}@example.com`,
      fields: { zip_code: 10000 + i },
      list_ids_included: [list.id],
    }));
    // Counts exist only once the import finished, so the queued answer is checked without them.
    const queued = await ok("contacts", "POST /api/contacts/imports", 201, client.contactImports.create({ contacts }), {});
    expect(queued).toEqual({ id: expect.any(Number), status: "created" });
    expect(await ok("contacts", "GET /api/contacts/imports/{import_id}", 200, client.contactImports.get(queued.id), {})).toMatchObject({
      status: "created",
    });

    await t.services.jobs.drain();
    const done = await ok("contacts", "GET /api/contacts/imports/{import_id}", 200, client.contactImports.get(queued.id));
    expect(done).toEqual({
      id: queued.id,
      status: "finished",
      created_contacts_count: 2,
      updated_contacts_count: 1,
      contacts_over_limit_count: 0,
    });
    const old = await ok(
      "contacts",
      "GET /api/contacts/{contact_identifier}",
      200,
      client.contacts.get(encodeURIComponent("old@example.com")),
    );
    expect(old.data).toMatchObject({ fields: { zip_code: 10000 }, list_ids: [list.id] });
  });

  it("exports: queued without a url, then finished with a url whose CSV holds the filtered contacts", async () => {
    const acc = await t.newAccount();
    const client = sdk(acc);
    const list = await ok("contacts", "POST /api/contacts/lists", 200, client.contactLists.create({ name: "VIP" }));
    await ok("contacts", "POST /api/contacts", 201, client.contacts.create({ email: "vip@example.com", list_ids: [list.id] }));
    await ok("contacts", "POST /api/contacts", 201, client.contacts.create({ email: "other@example.com" }));

    const filters = [
      { name: "list_id", operator: "equal" as const, value: [list.id] },
      { name: "subscription_status", operator: "equal" as const, value: "subscribed" },
    ];
    const queued = await ok("contacts", "POST /api/contacts/exports", 201, client.contactExports.create({ filters }));
    expect(queued).toMatchObject({ status: "created", url: null });
    await t.services.jobs.drain();
    const done = await ok("contacts", "GET /api/contacts/exports/{export_id}", 200, client.contactExports.get(queued.id));
    expect(done).toMatchObject({ id: queued.id, status: "finished" });

    // The url carries the configured public URL; the test server listens on a port chosen at random.
    const url = new URL(done.url!);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${t.config.publicUrl}/api/accounts/${acc.accountId}/contacts/exports/${queued.id}/download`,
    );
    const download = await fetch(`${base}${url.pathname}${url.search}`, { headers: { Authorization: `Bearer ${acc.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^text\/csv/);
    const csv = await download.text();
    expect(csv).toContain("vip@example.com");
    expect(csv).not.toContain("other@example.com");
  });

  it("templates: list, get, create, update, delete", async () => {
    const client = sdk(await t.newAccount());
    const created = await ok(
      "templates",
      "POST /api/email_templates",
      201,
      client.templates.create({
        name: "Welcome",
        subject: "Hi {{first_name}}",
        category: "Onboarding",
        body_html: "<p>Hi</p>",
        body_text: "Hi",
      }),
    );
    expect(created).toMatchObject({
      name: "Welcome",
      subject: "Hi {{first_name}}",
      category: "Onboarding",
      body_html: "<p>Hi</p>",
      body_text: "Hi",
    });
    expect(await ok("templates", "GET /api/email_templates", 200, client.templates.getList())).toEqual([created]);
    expect(await ok("templates", "GET /api/email_templates/{email_template_id}", 200, client.templates.get(created.id))).toEqual(created);
    const updated = await ok(
      "templates",
      "PATCH /api/email_templates/{email_template_id}",
      200,
      client.templates.update(created.id, { subject: "Welcome aboard" }),
    );
    expect(updated).toMatchObject({ id: created.id, uuid: created.uuid, name: "Welcome", subject: "Welcome aboard" });
    await ok("templates", "DELETE /api/email_templates/{email_template_id}", 204, client.templates.delete(created.id));
    expect(await fails("templates", "GET /api/email_templates/{email_template_id}", 404, client.templates.get(created.id))).toBe(
      "Not Found",
    );
    expect(await ok("templates", "GET /api/email_templates", 200, client.templates.getList())).toEqual([]);
  });

  it("errors surface as MailtrapError with the server's message: 404, 422, 403 and 401", async () => {
    const acc = await t.newAccount();
    const client = sdk(acc);
    expect(await fails("contacts", "GET /api/contacts/{contact_identifier}", 404, client.contacts.get(randomUUID()))).toBe("Not Found");
    expect(await fails("contacts", "DELETE /api/contacts/{contact_identifier}", 404, client.contacts.delete(randomUUID()))).toBe(
      "Contact(s) not found",
    );

    await ok("contacts", "POST /api/contacts", 201, client.contacts.create({ email: "dup@example.com" }));
    expect(await fails("contacts", "POST /api/contacts", 422, client.contacts.create({ email: "DUP@example.com" }))).toBe(
      "email: has already been taken",
    );
    const noSubject = client.templates.create({ name: "x", category: "c", body_html: "<p/>" } as never);
    expect(await fails("templates", "POST /api/email_templates", 422, noSubject)).toMatch(/^subject: /);

    const other = await t.newAccount();
    const wrongAccount = sdk(acc, other.accountId);
    expect(await fails("contacts", "GET /api/contacts/lists", 403, wrongAccount.contactLists.getList())).toBe("Account access forbidden");
    expect(await fails("templates", "GET /api/email_templates", 403, wrongAccount.templates.getList())).toBe("Account access forbidden");

    const badToken = sdk({ ...acc, token: "not-a-token" });
    expect(await fails("contacts", "GET /api/contacts/fields", 401, badToken.contactFields.getList())).toBe("Incorrect API token");
  });
});
