import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";

describe.each(DIALECTS)("Idempotency-Key across the two path forms on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("replays a retry sent through the other path form, and still refuses another request", async () => {
    const acc = await t.newAccount();
    const first = await t.call(acc, "POST", "/api/contacts/lists", { name: "Retried" }, { "idempotency-key": "paths-1" });
    expect(first.statusCode).toBeLessThan(300);
    const retry = await t.call(
      acc,
      "POST",
      `/api/accounts/${acc.accountId}/contacts/lists`,
      { name: "Retried" },
      { "idempotency-key": "paths-1" },
    );
    expect({ status: retry.statusCode, replayed: retry.headers["idempotent-replayed"], body: retry.json() }).toEqual({
      status: first.statusCode,
      replayed: "true",
      body: first.json(),
    });

    const scoped = await t.call(
      acc,
      "POST",
      `/api/accounts/${acc.accountId}/contacts/lists`,
      { name: "Scoped" },
      { "idempotency-key": "paths-2" },
    );
    const back = await t.call(acc, "POST", "/api/contacts/lists", { name: "Scoped" }, { "idempotency-key": "paths-2" });
    expect(back.headers["idempotent-replayed"]).toBe("true");
    expect(back.json()).toEqual(scoped.json());

    const other = await t.call(
      acc,
      "POST",
      `/api/accounts/${acc.accountId}/contacts/lists`,
      { name: "Different" },
      { "idempotency-key": "paths-1" },
    );
    expect(other.statusCode).toBe(422);
    expect(
      (await t.call(acc, "GET", "/api/contacts/lists"))
        .json()
        .map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(["Retried", "Scoped"]);
  });
});
