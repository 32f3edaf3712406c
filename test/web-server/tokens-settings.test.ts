import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { browser, setup } from "./browser-session.ts";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(DIALECTS)("API tokens and settings on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, {
      MAILWRIGHT_SMTP_URL: "smtp://relay-user:relay-secret-pw@smtp.example.com:2525",
      MAILWRIGHT_FROM_EMAIL: "news@example.com",
      MAILWRIGHT_MAX_AUTOMATIONS: "7",
      MAILWRIGHT_MONTHLY_RUN_QUOTA: "5000",
      MAILWRIGHT_BODY_LIMIT: "4096",
    });
  });
  afterAll(() => t.close());

  it("creates a token shown once, lists tokens without secrets, and a revoked token stops working at once", async () => {
    const acc = await t.newAccount();
    const created = await t.call(acc, "POST", "/api/tokens", { name: "  Zapier  " });
    expect(created.statusCode).toBe(201);
    const { data } = created.json();
    expect(data).toEqual({
      id: expect.any(Number),
      name: "Zapier",
      token: expect.stringMatching(/^mw_[\w-]{43}$/),
      created_at: expect.stringMatching(ISO),
    });
    const zapier = { accountId: acc.accountId, token: data.token as string, headers: { authorization: `Bearer ${data.token}` } };
    expect((await t.call(zapier, "GET", "/api/automations")).statusCode).toBe(200);

    const listed = await t.call(acc, "GET", "/api/tokens");
    expect(listed.json()).toEqual({
      data: [
        { id: expect.any(Number), name: "test", created_at: expect.stringMatching(ISO), revoked_at: null },
        { id: data.id, name: "Zapier", created_at: data.created_at, revoked_at: null },
      ],
    });
    expect(listed.body).not.toContain(data.token);
    expect(listed.body).not.toContain(acc.token);

    // Another account cannot see or revoke it.
    const other = await t.newAccount();
    expect((await t.call(other, "DELETE", `/api/tokens/${data.id}`)).json()).toEqual({ error: "Not Found" });
    expect((await t.call(other, "GET", "/api/tokens")).json().data.map((tk: { id: number }) => tk.id)).not.toContain(data.id);
    expect((await t.call(other, "DELETE", `/api/accounts/${acc.accountId}/tokens/${data.id}`)).statusCode).toBe(403);
    expect((await t.call(zapier, "GET", "/api/automations")).statusCode).toBe(200);

    expect((await t.call(acc, "DELETE", `/api/tokens/${data.id}`)).statusCode).toBe(204);
    const refused = await t.call(zapier, "GET", "/api/automations");
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: "Incorrect API token" });
    const after = (await t.call(acc, "GET", "/api/tokens")).json().data;
    expect(after[1]).toEqual({ id: data.id, name: "Zapier", created_at: data.created_at, revoked_at: expect.stringMatching(ISO) });
    expect((await t.call(acc, "DELETE", `/api/tokens/${data.id}`)).statusCode).toBe(204);
    expect((await t.call(acc, "DELETE", "/api/tokens/999999")).statusCode).toBe(404);
    expect((await t.call(acc, "DELETE", "/api/tokens/abc")).statusCode).toBe(404);
  });

  it("refuses a token without a usable name", async () => {
    const acc = await t.newAccount();
    expect((await t.call(acc, "POST", "/api/tokens", { name: "   " })).json()).toEqual({ errors: { name: ["can't be blank"] } });
    expect((await t.call(acc, "POST", "/api/tokens", {})).json()).toEqual({ errors: { name: ["can't be blank"] } });
    expect((await t.call(acc, "POST", "/api/tokens", { name: "x".repeat(101) })).json()).toEqual({
      errors: { name: ["is too long (maximum is 100 characters)"] },
    });
    expect((await t.call(acc, "POST", "/api/tokens", { name: "ok", scope: "all" })).statusCode).toBe(422);
  });

  it("lets a signed-in admin manage tokens from the browser (writes with the CSRF token)", async () => {
    const s = await setup(t, "owner@example.com", "owner password");
    expect((await browser(t, s, "POST", "/api/tokens", { name: "forged" }, { csrf: null })).statusCode).toBe(403);
    const created = await browser(t, s, "POST", "/api/tokens", { name: "from the UI" });
    expect(created.statusCode).toBe(201);
    expect((await browser(t, s, "GET", "/api/tokens")).json().data.map((tk: { name: string }) => tk.name)).toContain("from the UI");
    expect((await browser(t, s, "DELETE", `/api/tokens/${created.json().data.id}`)).statusCode).toBe(204);
  });

  it("shows the account's limits and mail settings, never the SMTP password", async () => {
    const acc = await t.newAccount();
    const res = await t.call(acc, "GET", "/api/settings");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      data: {
        account_id: acc.accountId,
        limits: {
          max_automations: 7,
          max_fields: 40,
          max_contacts: null,
          monthly_runs: 5000,
          rate_limit_per_minute: null,
          body_limit_bytes: 4096,
        },
        smtp: { transport: "smtp", host: "smtp.example.com:2525", from: "news@example.com" },
        test_clock: false,
        public_url: "http://127.0.0.1:8080",
      },
    });
    expect(res.body).not.toContain("relay-secret-pw");
    expect(res.body).not.toContain("relay-user");

    await t.store.db.updateTable("accounts").set({ monthly_run_quota: 12 }).where("id", "=", acc.accountId).execute();
    expect((await t.call(acc, "GET", `/api/accounts/${acc.accountId}/settings`)).json().data.limits.monthly_runs).toBe(12);
  });
});

describe("settings with the defaults", () => {
  it("reports the capture transport, the rate limit per minute and the test clock", async () => {
    const t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "500", MAILWRIGHT_RATE_LIMIT_WINDOW: "10", MAILWRIGHT_TEST_CLOCK: "1" });
    try {
      const acc = await t.newAccount();
      const { data } = (await t.call(acc, "GET", "/api/settings")).json();
      expect(data.smtp).toEqual({ transport: "capture", host: null, from: "mailwright@127.0.0.1" });
      expect(data.limits).toMatchObject({ monthly_runs: null, rate_limit_per_minute: 3000, max_automations: 20 });
      expect(data.test_clock).toBe(true);
      expect((await t.app.inject({ method: "GET", url: "/api/session" })).json().data.test_clock).toBe(true);

      // The new endpoints are in the OpenAPI document, from the schemas that validate them.
      const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          "/api/session",
          "/api/setup",
          "/api/tokens",
          "/api/tokens/{id}",
          "/api/settings",
          "/api/accounts/{account_id}/settings",
        ]),
      );
      expect(Object.keys(doc.paths["/api/session"])).toEqual(expect.arrayContaining(["get", "post", "delete"]));
      expect(doc.paths["/api/session"].post.security).toEqual([]);
      expect(doc.paths["/api/contacts"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(["search", "status", "list_id", "field", "value", "limit", "cursor"]),
      );
    } finally {
      await t.close();
    }
  });
});
