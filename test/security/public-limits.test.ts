import { afterEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../helpers/test-app.ts";

// Limits live in the HTTP layer, the same on every store: SQLite suffices.
describe("limits for the open internet", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("counts every spelling of one token against one rate-limit bucket", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "8", MAILWRIGHT_RATE_LIMIT_WINDOW: "60" });
    const a = await t.newAccount();
    const spellings = [{ authorization: `Bearer ${a.token}` }, { authorization: `bearer ${a.token}` }, { authorization: `Bearer  ${a.token} ` }, { "api-token": a.token }, { "api-token": ` ${a.token}` }];
    const codes: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const headers of spellings) codes.push((await t.app.inject({ method: "GET", url: "/api/contacts/lists", headers })).statusCode);
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(8);
    expect(codes.filter((c) => c === 429)).toHaveLength(12);
  });

  it("rate-limits the public links in emails per address", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "3", MAILWRIGHT_RATE_LIMIT_WINDOW: "60" });
    // Sign-in and setup have a stricter limit of their own (session-routes.ts).
    for (const [n, [method, url]] of ([["POST", "/u/nope"], ["GET", "/t/c/nope"], ["GET", "/t/o/nope"]] as const).entries()) {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await t.app.inject({ method, url, remoteAddress: `10.0.0.${n + 1}`, headers: { "content-type": "application/json" }, payload: "{}" })).statusCode);
      expect(codes.map((c) => c === 429), url).toEqual([false, false, false, true, true]);
    }
    expect((await t.app.inject({ method: "GET", url: "/healthz", remoteAddress: "10.0.0.6" })).statusCode).toBe(200);
  });
});
