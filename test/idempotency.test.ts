import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestApp, testApp } from "./helpers/test-app.ts";

describe.each(DIALECTS)("Idempotency-Key on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("50 concurrent identical event posts with one key store one event and get identical answers", async () => {
    const acc = await t.newAccount();
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "idem@example.com" } });
    const body = { name: "Purchase", params: { amount: 42 } };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.call(acc, "POST", "/api/contacts/idem%40example.com/events", body, { "idempotency-key": "order-1" }),
      ),
    );
    expect(new Set(answers.map((a) => a.statusCode))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers["idempotent-replayed"] === "true")).toHaveLength(49);
    const stored = await t.store.db.selectFrom("contact_events").selectAll().where("account_id", "=", acc.accountId).execute();
    expect(stored).toHaveLength(1);
    const triggers = await t.store.db
      .selectFrom("trigger_events")
      .selectAll()
      .where("account_id", "=", acc.accountId)
      .where("type", "=", "custom_event")
      .execute();
    expect(triggers).toHaveLength(1);
  });

  it("the same key with another body is a 422 and changes nothing", async () => {
    const acc = await t.newAccount();
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "idem2@example.com" } });
    const first = await t.call(acc, "POST", "/api/contacts/idem2%40example.com/events", { name: "A" }, { "idempotency-key": "k" });
    expect(first.statusCode).toBe(201);
    const other = await t.call(acc, "POST", "/api/contacts/idem2%40example.com/events", { name: "B" }, { "idempotency-key": "k" });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({ errors: { idempotency_key: ["was already used with a different request"] } });
    expect(await t.store.db.selectFrom("contact_events").selectAll().where("account_id", "=", acc.accountId).execute()).toHaveLength(1);
  });

  it("replays an error answer too, and keys are per account", async () => {
    const a = await t.newAccount();
    const b = await t.newAccount();
    const dup = { contact: { email: "same@example.com" } };
    const r1 = await t.call(a, "POST", "/api/contacts", dup, { "idempotency-key": "shared" });
    const r2 = await t.call(a, "POST", "/api/contacts", dup, { "idempotency-key": "shared" });
    expect(r1.statusCode).toBe(201);
    expect(r2.statusCode).toBe(201);
    expect(r2.json()).toEqual(r1.json());
    // Another account using the same key string runs its own request.
    const rb = await t.call(b, "POST", "/api/contacts", dup, { "idempotency-key": "shared" });
    expect(rb.statusCode).toBe(201);
    expect(rb.json().data.id).not.toBe(r1.json().data.id);
  });

  it("a request refused by validation reserves nothing", async () => {
    const acc = await t.newAccount();
    const bad = await t.call(acc, "POST", "/api/contacts", { contact: { email: 5 } }, { "idempotency-key": "v" });
    expect(bad.statusCode).toBe(422);
    const good = await t.call(acc, "POST", "/api/contacts", { contact: { email: "ok@example.com" } }, { "idempotency-key": "v" });
    expect(good.statusCode).toBe(201);
  });
});

describe("Idempotency-Key expiry", () => {
  it("answers older than 24 h are forgotten: the key runs again", async () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const t = await testApp("sqlite", {}, { clock: { now: () => now } });
    try {
      const acc = await t.newAccount();
      await t.call(acc, "POST", "/api/contacts", { contact: { email: "exp@example.com" } });
      const send = () => t.call(acc, "POST", "/api/contacts/exp%40example.com/events", { name: "A" }, { "idempotency-key": "old" });
      await send();
      now += 25 * 3600 * 1000;
      expect(await t.services.idempotency.purgeExpired()).toBe(1);
      expect((await send()).headers["idempotent-replayed"]).toBeUndefined();
      expect(await t.store.db.selectFrom("contact_events").selectAll().where("account_id", "=", acc.accountId).execute()).toHaveLength(2);
    } finally {
      await t.close();
    }
  });
});
