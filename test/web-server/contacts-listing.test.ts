import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";

interface Contact {
  id: string;
  email: string;
  status: string;
  fields: Record<string, unknown>;
  list_ids: number[];
  created_at: number;
  updated_at: number;
}
interface Page {
  data: Contact[];
  next_cursor: string | null;
}

describe.each(DIALECTS)("GET /api/contacts on %s", (dialect) => {
  let t: TestApp;
  let a: TestAccount;
  let b: TestAccount;
  let vip: number;
  /** A's contacts in creation order. */
  const made: Contact[] = [];

  async function ok(acc: TestAccount, method: "POST" | "PATCH", url: string, body: unknown) {
    const res = await t.call(acc, method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  const page = async (acc: TestAccount, query: string): Promise<Page> => {
    const res = await t.call(acc, "GET", `/api/contacts${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const emails = (p: Page) => p.data.map((c) => c.email);

  beforeAll(async () => {
    t = await testApp(dialect);
    a = await t.newAccount();
    b = await t.newAccount();
    await ok(a, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    await ok(a, "POST", "/api/contacts/fields", { name: "Seats", data_type: "integer", merge_tag: "seats" });
    await ok(a, "POST", "/api/contacts/fields", { name: "Beta", data_type: "boolean", merge_tag: "beta" });
    vip = (await ok(a, "POST", "/api/contacts/lists", { name: "VIP" })).id;
    for (let i = 0; i < 7; i++) {
      const fields = { plan: i % 2 === 0 ? "pro" : "free", seats: i, ...(i < 3 ? { beta: true } : {}) };
      made.push(
        (await ok(a, "POST", "/api/contacts", { contact: { email: `User${i}@Shop.example.com`, fields, list_ids: i >= 5 ? [vip] : [] } }))
          .data,
      );
    }
    await ok(a, "PATCH", `/api/contacts/${made[1]!.id}`, { contact: { email: made[1]!.email, unsubscribed: true } });
    // B's contacts look like A's: none may show up in A's listing, nor A's in B's.
    await ok(b, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    await ok(b, "POST", "/api/contacts", { contact: { email: "user9@shop.example.com", fields: { plan: "pro" } } });
  });
  afterAll(() => t.close());

  it("lists newest first in the shape GET /api/contacts/{id} answers", async () => {
    const all = await page(a, "");
    expect(emails(all)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `user${i}@shop.example.com`));
    expect(all.next_cursor).toBeNull();
    const single = (await t.call(a, "GET", `/api/contacts/${made[5]!.id}`)).json().data;
    expect(all.data[1]).toEqual(single);
    expect(single).toMatchObject({ fields: { plan: "free", seats: 5 }, list_ids: [vip], status: "subscribed" });
  });

  it("pages with next_cursor across pages, without duplicates or gaps, filters included", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(a, `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(p.data.length).toBeLessThanOrEqual(3);
      seen.push(...emails(p));
      cursor = p.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(emails(await page(a, "?limit=100")));
    expect(new Set(seen).size).toBe(7);

    const first = await page(a, "?field=plan&value=pro&limit=2");
    expect(emails(first)).toEqual(["user6@shop.example.com", "user4@shop.example.com"]);
    const second = await page(a, `?field=plan&value=pro&limit=2&cursor=${encodeURIComponent(first.next_cursor!)}`);
    expect(emails(second)).toEqual(["user2@shop.example.com", "user0@shop.example.com"]);
    expect(second.next_cursor).toBeNull();
  });

  it("filters by search (case-insensitive substring of the email), status, list and field values", async () => {
    expect(emails(await page(a, "?search=USER3"))).toEqual(["user3@shop.example.com"]);
    expect(emails(await page(a, "?search=shop.EXAMPLE")).length).toBe(7);
    expect(emails(await page(a, "?search=%25"))).toEqual([]);
    expect(emails(await page(a, "?search=_"))).toEqual([]);
    expect(emails(await page(a, "?status=unsubscribed"))).toEqual(["user1@shop.example.com"]);
    expect(emails(await page(a, "?status=subscribed")).length).toBe(6);
    expect(emails(await page(a, `?list_id=${vip}`))).toEqual(["user6@shop.example.com", "user5@shop.example.com"]);
    expect(emails(await page(a, `?list_id=${vip}&status=subscribed&search=5`))).toEqual(["user5@shop.example.com"]);
    expect(emails(await page(a, "?field=seats&value=3"))).toEqual(["user3@shop.example.com"]);
    expect(emails(await page(a, "?field=plan&value=3"))).toEqual([]);
    expect(emails(await page(a, "?field=beta&value=true"))).toEqual([
      "user2@shop.example.com",
      "user1@shop.example.com",
      "user0@shop.example.com",
    ]);
    expect(emails(await page(a, "?field=beta"))).toEqual(["user2@shop.example.com", "user1@shop.example.com", "user0@shop.example.com"]);
    expect(emails(await page(a, "?field=plan&value=PRO"))).toEqual([]);
  });

  it("names the parameter of a bad query", async () => {
    const bad = async (query: string) => (await t.call(a, "GET", `/api/contacts${query}`)).json();
    expect(await bad("?limit=0")).toEqual({ errors: { limit: ["must be from 1 to 100"] } });
    expect(await bad("?limit=101")).toEqual({ errors: { limit: ["must be from 1 to 100"] } });
    expect(await bad("?status=bounced")).toEqual({ errors: { status: ["is not included in the list"] } });
    expect(await bad("?field=nope")).toEqual({ errors: { field: ["contains unknown field: nope"] } });
    expect(await bad("?field=seats&value=many")).toEqual({ errors: { value: ["is invalid for integer field seats"] } });
    expect(await bad("?value=pro")).toEqual({ errors: { field: ["can't be blank when value is given"] } });
    expect(await bad("?cursor=garbage")).toEqual({ errors: { cursor: ["is invalid"] } });
    expect(Object.keys((await bad("?list_id=x")).errors)).toEqual(["list_id"]);
    expect(Object.keys((await bad("?sort=email")).errors)).toEqual(["sort"]);
  });

  it("keeps tenants apart: a search, a list id, a field or a cursor of A shows B nothing of A's", async () => {
    expect(emails(await page(b, ""))).toEqual(["user9@shop.example.com"]);
    expect(emails(await page(b, "?search=user"))).toEqual(["user9@shop.example.com"]);
    expect(emails(await page(b, `?list_id=${vip}`))).toEqual([]);
    expect(emails(await page(b, "?field=plan&value=pro"))).toEqual(["user9@shop.example.com"]);
    expect((await t.call(b, "GET", "/api/contacts?field=seats")).statusCode).toBe(422);
    const aCursor = (await page(a, "?limit=1")).next_cursor!;
    // B's only contact is newer than A's cursor: the page past it holds nothing, not A's rows.
    expect(emails(await page(b, `?cursor=${encodeURIComponent(aCursor)}`))).toEqual([]);
    expect(emails(await page(a, "?search=user9"))).toEqual([]);
    expect((await t.call(b, "GET", `/api/accounts/${a.accountId}/contacts`)).json()).toEqual({ errors: "Account access forbidden" });
  });
});
