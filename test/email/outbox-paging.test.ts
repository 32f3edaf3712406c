import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { seedAccount } from "../engine/engine-helpers.ts";

describe.each(DIALECTS)("outbox paging on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("pages the outbox newest first with cursor / next_cursor, beyond any cap, per account", async () => {
    const { acc, template } = await seedAccount(t);
    for (let i = 0; i < 7; i++) {
      const res = await t.call(acc, "POST", `/api/email_templates/${template}/test_send`, { to: `p${i}@example.com` });
      expect(res.statusCode, res.body).toBe(200);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.call(acc, "GET", `/api/outbox/messages?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { data: { to: string }[]; next_cursor: string | null };
      seen.push(...page.data.map((m) => m.to));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `p${i}@example.com`));
    const bad = await t.call(acc, "GET", "/api/outbox/messages?cursor=zzz");
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({ errors: { cursor: ["is invalid"] } });
    const other = await t.newAccount();
    expect((await t.call(other, "GET", "/api/outbox/messages?limit=3")).json()).toEqual({ data: [], next_cursor: null });
  });
});
