import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "./helpers/test-app.ts";
import { expectDeclaredEmpty, expectMatchesSpec, type SpecName, specPathOf } from "./helpers/mailtrap-spec.ts";

/**
 * Error bodies, checked against the schemas Mailtrap's spec declares for each operation and
 * status. The spec marks almost nothing required, so every check also requires the declared
 * properties: `{"error": …}` where `{"errors": …}` is declared must not pass by being empty.
 */

describe("the spec check itself", () => {
  const contact = "/api/contacts/{contact_identifier}";

  it("accepts a body of the declared shape and rejects wrong types, enums and missing properties", () => {
    const data = {
      id: randomUUID(),
      email: "a@example.com",
      fields: {},
      list_ids: [1],
      status: "subscribed",
      created_at: 1,
      updated_at: 2,
    };
    expectMatchesSpec("contacts", "GET", contact, 200, { data }, { allDeclared: true });
    expect(() => expectMatchesSpec("contacts", "GET", contact, 200, { data: { ...data, status: "bounced" } })).toThrow(/allowed values/);
    expect(() => expectMatchesSpec("contacts", "GET", contact, 200, { data: { ...data, created_at: "2021-01-01" } })).toThrow(
      /must be integer/,
    );
    expect(() => expectMatchesSpec("contacts", "GET", contact, 200, { data: { id: data.id } }, { allDeclared: true })).toThrow(/required/);
    expect(() => expectMatchesSpec("templates", "GET", "/api/email_templates", 200, [{ id: 1, uuid: "nope" }])).toThrow(/uuid/);
  });

  it("follows nullable and refs into shared responses and sibling schemas", () => {
    const exp = { id: 1, status: "created", created_at: "2021-01-01T00:00:00Z", updated_at: "2021-01-01T00:00:00Z", url: null };
    expectMatchesSpec("contacts", "GET", "/api/contacts/exports/{export_id}", 200, exp, { allDeclared: true });
    expect(() => expectMatchesSpec("contacts", "GET", "/api/contacts/exports/{export_id}", 200, { ...exp, url: "not a url" })).toThrow(
      /format/,
    );
    const params = { a: null, b: 1, c: "s", d: true };
    expectMatchesSpec("contacts", "POST", `${contact}/events`, 201, { contact_id: "x", contact_email: "e", name: "n", params });
    expect(() => expectMatchesSpec("contacts", "POST", `${contact}/events`, 201, { params: { a: [1] } })).toThrow();
    expect(() => expectMatchesSpec("contacts", "GET", contact, 404, { error: 1 })).toThrow(/must be string/);
  });

  it("refuses a status the spec does not declare, or declares without a body", () => {
    expect(() => expectMatchesSpec("contacts", "GET", contact, 201, {})).toThrow(/declares no 201/);
    expect(() => expectMatchesSpec("contacts", "DELETE", contact, 204, "")).toThrow(/no JSON schema/);
    expect(() => expectMatchesSpec("contacts", "GET", "/api/nowhere", 200, {})).toThrow(/no path/);
    expectDeclaredEmpty("contacts", "DELETE", contact, 204, "");
    expect(() => expectDeclaredEmpty("contacts", "DELETE", contact, 404, "")).toThrow(/declares a body/);
  });

  it("maps concrete paths, token- or account-scoped, to the spec's templates", () => {
    expect(specPathOf("contacts", "GET", "/api/accounts/5/contacts/lists?search=a")).toBe("/api/contacts/lists");
    expect(specPathOf("contacts", "GET", "/api/contacts/a%40b.c")).toBe(contact);
    expect(specPathOf("templates", "PATCH", "/api/accounts/5/email_templates/3")).toBe("/api/email_templates/{email_template_id}");
  });
});

describe.each(DIALECTS)("error bodies match Mailtrap's spec on %s", (dialect) => {
  let t: TestApp;
  let acc: TestAccount;
  let other: TestAccount;
  let listId: number;
  let contactId: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    acc = await t.newAccount();
    other = await t.newAccount();
    listId = (await t.call(acc, "POST", "/api/contacts/lists", { name: "L" })).json().id;
    contactId = (await t.call(acc, "POST", "/api/contacts", { contact: { email: "taken@example.com" } })).json().data.id;
    await t.call(acc, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
  });
  afterAll(() => t.close());

  /** Sends the request and checks the status and body against the spec operation the path belongs to. */
  async function expectSpecError(
    spec: SpecName,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ) {
    const res = headers
      ? await t.app.inject({
          method,
          url,
          headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        })
      : await t.call(acc, method, url, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    expectMatchesSpec(spec, method, specPathOf(spec, method, url), status, res.json(), { allDeclared: true });
    return res.json();
  }

  // One operation per path family the spec covers, with a body it would accept.
  const operations: [SpecName, "GET" | "POST" | "PATCH" | "DELETE", string, unknown?][] = [
    ["contacts", "POST", "/api/contacts", { contact: { email: "x@example.com" } }],
    ["contacts", "GET", "/api/contacts/x%40example.com"],
    ["contacts", "PATCH", "/api/contacts/x%40example.com", { contact: { email: "x@example.com" } }],
    ["contacts", "DELETE", "/api/contacts/x%40example.com"],
    ["contacts", "POST", "/api/contacts/x%40example.com/events", { name: "E", params: {} }],
    ["contacts", "GET", "/api/contacts/lists"],
    ["contacts", "GET", "/api/contacts/fields"],
    ["contacts", "POST", "/api/contacts/imports", { contacts: [{ email: "x@example.com" }] }],
    ["contacts", "POST", "/api/contacts/exports", { filters: [] }],
    ["contacts", "GET", "/api/contacts/exports/1"],
    ["templates", "GET", "/api/email_templates"],
    ["templates", "DELETE", "/api/email_templates/1"],
  ];

  it("401 for a missing or unknown token, in Bearer and Api-Token form", async () => {
    for (const [spec, method, url, body] of operations) {
      const anonymous: Record<string, string>[] = [{}, { authorization: "Bearer nope" }, { "api-token": "nope" }];
      for (const headers of anonymous) {
        expect(await expectSpecError(spec, method, url, 401, body, headers)).toEqual({ error: "Incorrect API token" });
      }
    }
  });

  it("401 on POST /api/contacts/lists has the shape of every other 401 (the spec refs PERMISSION_DENIED there)", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/contacts/lists",
      headers: { "content-type": "application/json" },
      payload: '{"name":"L"}',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: "Incorrect API token" });
    expectMatchesSpec("contacts", "GET", "/api/contacts/lists", 401, res.json(), { allDeclared: true });
  });

  it("403 when the path names an account that is not the token's", async () => {
    for (const [spec, method, url, body] of operations) {
      const scoped = url.replace(/^\/api\//, `/api/accounts/${other.accountId}/`);
      expect(await expectSpecError(spec, method, scoped, 403, body)).toEqual({ errors: "Account access forbidden" });
    }
  });

  it("404 for unknown contacts, lists, fields, imports, exports and templates", async () => {
    const missing: [SpecName, "GET" | "POST" | "PATCH" | "DELETE", string, unknown?][] = [
      ["contacts", "GET", `/api/contacts/${randomUUID()}`],
      ["contacts", "GET", "/api/contacts/nobody%40example.com"],
      ["contacts", "POST", `/api/contacts/${randomUUID()}/events`, { name: "E", params: {} }],
      ["contacts", "GET", "/api/contacts/lists/999999"],
      ["contacts", "PATCH", "/api/contacts/lists/999999", { name: "M" }],
      ["contacts", "DELETE", "/api/contacts/lists/999999"],
      ["contacts", "GET", "/api/contacts/fields/999999"],
      ["contacts", "PATCH", "/api/contacts/fields/999999", { name: "M" }],
      ["contacts", "DELETE", "/api/contacts/fields/999999"],
      ["contacts", "GET", "/api/contacts/imports/999999"],
      ["contacts", "GET", "/api/contacts/exports/999999"],
      ["templates", "GET", "/api/email_templates/999999"],
      ["templates", "PATCH", "/api/email_templates/999999", { email_template: { name: "M" } }],
      ["templates", "DELETE", "/api/email_templates/999999"],
    ];
    for (const [spec, method, url, body] of missing) {
      expect(await expectSpecError(spec, method, url, 404, body)).toEqual({ error: "Not Found" });
    }
    // DELETE of a contact is the one 404 the spec gives an `errors` string.
    expect(await expectSpecError("contacts", "DELETE", `/api/contacts/${randomUUID()}`, 404, undefined)).toEqual({
      errors: "Contact(s) not found",
    });
  });

  it("422 with per-attribute messages for refused contacts, events, fields, exports and templates", async () => {
    const refused: [SpecName, "POST" | "PATCH", string, unknown, string][] = [
      ["contacts", "POST", "/api/contacts", { contact: { email: "not-an-email" } }, "email"],
      ["contacts", "POST", "/api/contacts", { contact: { email: "TAKEN@example.com" } }, "email"],
      [
        "contacts",
        "PATCH",
        `/api/contacts/${contactId}`,
        { contact: { email: "taken@example.com", list_ids_included: [listId], list_ids_excluded: [listId] } },
        "base",
      ],
      ["contacts", "POST", `/api/contacts/${contactId}/events`, { name: "x".repeat(256), params: {} }, "name"],
      ["contacts", "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" }, "name"],
      ["contacts", "POST", "/api/contacts/exports", { filters: [{ name: "list_id", operator: "like", value: [listId] }] }, "filters"],
      ["templates", "POST", "/api/email_templates", { email_template: { name: "T", category: "C" } }, "subject"],
    ];
    for (const [spec, method, url, body, attribute] of refused) {
      const { errors } = (await expectSpecError(spec, method, url, 422, body)) as { errors: Record<string, string[]> };
      expect(Object.keys(errors), `${method} ${url}`).toContain(attribute);
    }
    const fieldId = (await t.call(acc, "GET", "/api/contacts/fields")).json()[0].id;
    await expectSpecError("contacts", "PATCH", `/api/contacts/fields/${fieldId}`, 422, { merge_tag: "9bad" });
    const templateId = (
      await t.call(acc, "POST", "/api/email_templates", { email_template: { name: "T", subject: "S", category: "C" } })
    ).json().id;
    await expectSpecError("templates", "PATCH", `/api/email_templates/${templateId}`, 422, {
      email_template: { subject: "x".repeat(256) },
    });
  });

  it("minimal bodies still answer every declared property: a bare contact and a template without bodies", async () => {
    const contact = await t.call(acc, "POST", "/api/contacts", { contact: { email: "bare@example.com" } });
    expect(contact.statusCode).toBe(201);
    expectMatchesSpec("contacts", "POST", "/api/contacts", 201, contact.json(), { allDeclared: true });
    const template = await t.call(acc, "POST", "/api/email_templates", { email_template: { name: "Bare", subject: "S", category: "C" } });
    expect(template.statusCode).toBe(201);
    expectMatchesSpec("templates", "POST", "/api/email_templates", 201, template.json(), { allDeclared: true });
  });

  it("422 for an import lists each refused contact with its messages", async () => {
    const res = await t.call(acc, "POST", "/api/contacts/imports", {
      contacts: [{ email: "ok@example.com" }, { email: "bad", fields: { nope: 1 } }],
    });
    expect(res.statusCode).toBe(422);
    // Not allDeclared: each entry carries only the attributes that were refused.
    expectMatchesSpec("contacts", "POST", "/api/contacts/imports", 422, res.json());
    expect(res.json()).toEqual({
      errors: [{ email: "bad", errors: { email: ["is invalid"], field_merge_tag: [expect.stringContaining("nope")] } }],
    });
  });
});

describe.each(DIALECTS)("the rate limit body matches Mailtrap's spec on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_RATE_LIMIT: "1" });
  });
  afterAll(() => t.close());

  it("429 once the token's window is used up", async () => {
    const acc = await t.newAccount();
    expect((await t.call(acc, "GET", "/api/contacts/lists")).statusCode).toBe(200);
    const res = await t.call(acc, "GET", "/api/contacts/lists");
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ errors: "Rate limit exceeded" });
    expectMatchesSpec("contacts", "GET", "/api/contacts/lists", 429, res.json(), { allDeclared: true });
  });
});

describe("the specs the tests read", () => {
  it("are the team's shared copies, unchanged", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const { SHARED_SPEC_DIR, SPEC_DIR } = await import("./helpers/mailtrap-spec.ts");
    const names = ["mailtrap-contacts.openapi.yml", "mailtrap-templates.openapi.yml"];
    for (const name of names) expect(fs.existsSync(path.join(SPEC_DIR, name))).toBe(true);
    if (!fs.existsSync(SHARED_SPEC_DIR)) return; // a clone without ../shared: the repository copy is all there is
    for (const name of names) {
      expect(fs.readFileSync(path.join(SPEC_DIR, name), "utf8")).toBe(fs.readFileSync(path.join(SHARED_SPEC_DIR, name), "utf8"));
    }
  });
});
