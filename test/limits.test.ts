import { afterEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "./helpers/test-app.ts";

// Limits live in the HTTP layer, the same on every store: SQLite suffices.
describe("request limits", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("answers 429 with Retry-After once a token spends its window, per token", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "3", MAILWRIGHT_RATE_LIMIT_WINDOW: "60" });
    const a = await t.newAccount();
    const b = await t.newAccount();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await t.call(a, "GET", "/api/contacts/lists")).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await t.call(a, "GET", "/api/contacts/lists");
    expect(limited.json()).toEqual({ errors: "Rate limit exceeded" });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await t.call(b, "GET", "/api/contacts/lists")).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("answers 413 to a body over the configured size, and 400 to malformed JSON", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_BODY_LIMIT: "2048" });
    const a = await t.newAccount();
    const big = await t.call(a, "POST", "/api/contacts/lists", { name: "x".repeat(5000) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatch(/larger than 2048 bytes/);
    const broken = await t.call(a, "POST", "/api/contacts/lists", '{"name": ');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toMatch(/Malformed JSON/);
    const lists = await t.call(a, "GET", "/api/contacts/lists");
    expect(lists.json()).toEqual([]);
  });

  it("serves health, readiness and the OpenAPI document without a token", async () => {
    t = await testApp("sqlite");
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ok" });
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/contacts", "/api/contacts/{contact_identifier}", "/api/email_templates"]),
    );
    expect(doc.paths["/api/contacts"].post.requestBody.content["application/json"].schema.properties.contact.required).toEqual(["email"]);
  });
});

describe("content types", () => {
  it("answers 415 to a write that is not JSON", async () => {
    const t = await testApp("sqlite");
    try {
      const a = await t.newAccount();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/contacts/lists",
        headers: { ...a.headers, "content-type": "text/plain" },
        payload: "name=x",
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({ error: "Content-Type must be application/json" });
    } finally {
      await t.close();
    }
  });
});

describe("metrics", () => {
  it("serves Prometheus metrics: HTTP latency by route and the engine's backlog", async () => {
    const t = await testApp("sqlite");
    try {
      const a = await t.newAccount();
      // An active automation listens to new contacts: the new contact's event waits for the dispatcher.
      const auto = await t.call(a, "POST", "/api/automations", {
        name: "Hi",
        trigger: { type: "contact_created" },
        entry_step_id: "u",
        steps: [{ id: "u", type: "unsubscribe", next: null }],
      });
      expect((await t.call(a, "POST", `/api/automations/${auto.json().data.id}/activate`, {})).statusCode).toBe(200);
      await t.call(a, "POST", "/api/contacts", { contact: { email: "m@example.com" } });
      const res = await t.app.inject({ method: "GET", url: "/metrics" });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/plain/);
      expect(res.body).toMatch(/mailwright_http_request_duration_seconds_bucket\{[^}]*route="\/api\/contacts"/);
      expect(res.body).toMatch(/^mailwright_trigger_backlog 1$/m);
      expect(res.body).toMatch(/^mailwright_due_runs 0$/m);
    } finally {
      await t.close();
    }
  });
});
