import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/server/email/tokens.ts";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

const HUMAN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
const SECRET = "test-secret-test-secret-test-secret-0123";

describe.each(DIALECTS)("tracking and unsubscribe links on %s", (dialect) => {
  let t: TestApp;
  let acc: TestAccount;
  let messages: { id: number; contact_id: string }[];
  beforeAll(async () => {
    t = await testApp(dialect);
    const seeded = await seedAccount(t);
    acc = seeded.acc;
    await createActive(t, acc, {
      name: "mail",
      trigger: { type: "contact_created" },
      entry_step_id: "m",
      steps: [{ id: "m", type: "send_email", email: { subject: "Hi", html: '<a href="https://example.com/offer">offer</a>' }, next: null }],
    });
    for (const n of [1, 2]) await contact(t, acc, `reader${n}@example.com`);
    await settle(t);
    messages = await t.store.db
      .selectFrom("messages")
      .select(["id", "contact_id"])
      .where("account_id", "=", acc.accountId)
      .orderBy("id")
      .execute();
    expect(messages).toHaveLength(2);
  });
  afterAll(() => t.close());

  const get = (url: string, ua = HUMAN, method: "GET" | "HEAD" = "GET") => t.app.inject({ method, url, headers: { "user-agent": ua } });
  const path = (url: string) => new URL(url).pathname;
  const events = (id: number) =>
    t.store.db.selectFrom("message_events").selectAll().where("message_row_id", "=", id).orderBy("id").execute();
  const msg = (id: number) =>
    t.store.db.selectFrom("messages").select(["opened_at", "clicked_at"]).where("id", "=", id).executeTakeFirstOrThrow();
  const status = async (contactId: string) => (await t.call(acc, "GET", `/api/contacts/${contactId}`)).json().data.status as string;
  const unsubscribeEvents = async (contactId: string) =>
    (
      await t.store.db
        .selectFrom("trigger_events")
        .select("type")
        .where("contact_id", "=", contactId)
        .where("type", "=", "contact_unsubscribed")
        .execute()
    ).length;

  it("the open pixel records a person's open once for unique rates, every hit for totals", async () => {
    const [m] = messages;
    const url = path(t.services.links.open(m!.id));
    for (let i = 0; i < 2; i++) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("image/gif");
    }
    expect((await events(m!.id)).map((e) => [e.kind, e.bot])).toEqual([
      ["open", 0],
      ["open", 0],
    ]);
    expect((await msg(m!.id)).opened_at).not.toBeNull();
    // A forged token gets the same pixel and records nothing.
    expect((await get("/t/o/bogus.token")).statusCode).toBe(200);
    expect(await events(m!.id)).toHaveLength(2);
  });

  it("a click redirects only to the URL signed into its token", async () => {
    const [, m] = messages;
    const good = path(t.services.links.click(m!.id, "https://example.com/offer"));
    const res = await get(good);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("https://example.com/offer");
    expect((await msg(m!.id)).clicked_at).not.toBeNull();

    const token = good.split("/").pop()!;
    const [body, sig] = token.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    const repointed = Buffer.from(JSON.stringify({ ...payload, u: "https://evil.example/phish" })).toString("base64url");
    const otherMessage = Buffer.from(JSON.stringify({ ...payload, m: messages[0]!.id })).toString("base64url");
    const forged = [
      `/t/c/${repointed}.${sig}`, // same signature, other URL
      `/t/c/${otherMessage}.${sig}`, // same signature, other message
      `/t/c/${token.slice(0, -5)}`, // truncated
      `/t/c/${body}`, // no signature
      `/t/c/${signToken("another-secret-another-secret-another-1", { m: m!.id, k: "c", u: "https://evil.example" })}`,
      path(t.services.links.unsubscribe(m!.id)).replace("/u/", "/t/c/"), // an unsubscribe token on the click route
      `/t/c/${signToken(SECRET, { m: 99_999_999, k: "c", u: "https://evil.example" })}`, // a message that does not exist
    ];
    for (const url of forged) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.headers.location).toBeUndefined();
    }
    expect((await events(m!.id)).filter((e) => e.kind === "click")).toHaveLength(1);
  });

  it("scanners and prefetchers are recorded but kept out of unique rates", async () => {
    const t2 = await testApp(dialect);
    try {
      const s = await seedAccount(t2);
      await createActive(t2, s.acc, {
        name: "m",
        trigger: { type: "contact_created" },
        entry_step_id: "m",
        steps: [{ id: "m", type: "send_email", email: { subject: "Hi", text: "x" }, next: null }],
      });
      await contact(t2, s.acc, "scan@example.com");
      await settle(t2);
      const [m] = await t2.store.db.selectFrom("messages").select("id").execute();
      const click = path(t2.services.links.click(m!.id, "https://example.com/"));
      await t2.app.inject({ method: "GET", url: click, headers: { "user-agent": "Mozilla/5.0 (compatible; Barracuda Sentinel)" } });
      await t2.app.inject({ method: "HEAD", url: click, headers: { "user-agent": HUMAN } });
      await t2.app.inject({ method: "GET", url: path(t2.services.links.open(m!.id)), headers: { "user-agent": "" } }); // no user agent at all
      const evs = await t2.store.db.selectFrom("message_events").select(["kind", "bot"]).execute();
      expect(evs.map((e) => e.bot)).toEqual([1, 1, 1]);
      const row = await t2.store.db
        .selectFrom("messages")
        .select(["opened_at", "clicked_at"])
        .where("id", "=", m!.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ opened_at: null, clicked_at: null });
    } finally {
      await t2.close();
    }
  });

  it("1,000 scanner-style GET and HEAD hits on an unsubscribe link unsubscribe no one", async () => {
    const [m] = messages;
    const url = path(t.services.links.unsubscribe(m!.id));
    for (let i = 0; i < 1000; i++) {
      const r = await get(url, i % 3 === 0 ? "Proofpoint URL Defense" : HUMAN, i % 2 === 0 ? "GET" : "HEAD");
      expect(r.statusCode).toBe(200);
    }
    const page = await get(url);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain('<form method="post">');
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(await status(m!.contact_id)).toBe("subscribed");
    expect(await unsubscribeEvents(m!.contact_id)).toBe(0);
  });

  it("POST unsubscribes once, with no cookie or auth: a blank 200 to RFC 8058 one-click", async () => {
    const [m] = messages;
    const url = path(t.services.links.unsubscribe(m!.id));
    const oneClick = () =>
      t.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "List-Unsubscribe=One-Click",
      });
    const first = await oneClick();
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe("");
    expect(await status(m!.contact_id)).toBe("unsubscribed");
    const again = await oneClick();
    expect(again.statusCode).toBe(200);
    expect(await unsubscribeEvents(m!.contact_id)).toBe(1);
    // A person's form post gets a page.
    const form = await t.app.inject({ method: "POST", url });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("You are unsubscribed");
  });

  it("forged, truncated and cross-kind unsubscribe tokens unsubscribe no one", async () => {
    const [, m] = messages;
    const good = path(t.services.links.unsubscribe(m!.id)).split("/").pop()!;
    const bad = [
      good.slice(0, -3),
      `${good}x`,
      path(t.services.links.open(m!.id)).split("/").pop()!,
      signToken("another-secret-another-secret-another-1", { m: m!.id, k: "u" }),
      "%3Cscript%3E",
    ];
    for (const token of bad) {
      const r = await t.app.inject({
        method: "POST",
        url: `/u/${token}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "List-Unsubscribe=One-Click",
      });
      expect(r.statusCode).toBe(404);
      expect((await get(`/u/${token}`)).statusCode).toBe(404);
    }
    expect(await status(m!.contact_id)).toBe("subscribed");
  });

  it("hostile user agents are stored as text and never echoed into a page", async () => {
    const [, m] = messages;
    const evil = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
    await get(path(t.services.links.open(m!.id)), evil);
    const stored = (await events(m!.id)).filter((e) => e.user_agent === evil);
    expect(stored).toHaveLength(1);
    for (const url of [path(t.services.links.unsubscribe(m!.id)), "/u/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/t/c/%3Cscript%3E"]) {
      const r = await get(url, evil);
      expect(r.body).not.toContain("<script>");
      expect(r.body).not.toContain("onerror");
    }
  });
});
