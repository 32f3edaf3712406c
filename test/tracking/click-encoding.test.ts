import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

// As a message's HTML holds them (attribute text: entities decoded before signing).
const LINKS: [string, string][] = [
  ["https://example.com/商品?q=日本語", "https://example.com/%E5%95%86%E5%93%81?q=%E6%97%A5%E6%9C%AC%E8%AA%9E"],
  ["https://example.com/🎉/party", "https://example.com/%F0%9F%8E%89/party"],
  ["https://example.com/café", "https://example.com/caf%C3%A9"],
  ["https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"],
  ["https://example.com/a%0D%0ASet-Cookie:%20x=1", "https://example.com/a%0D%0ASet-Cookie:%20x=1"],
  ["https://example.com/a&#13;&#10;Set-Cookie: x=1", "https://example.com/aSet-Cookie:%20x=1"],
  ["https://example.com/tab&#9;bed", "https://example.com/tabbed"],
  ["https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"],
  ["https://example.com/path with spaces?q=a b", "https://example.com/path%20with%20spaces?q=a%20b"],
  ["https://example.com/?q=&quot;quoted&quot;&amp;x=<1>", "https://example.com/?q=%22quoted%22&x=%3C1%3E"],
  ["https://example.com/#fragment-ü", "https://example.com/#fragment-%C3%BC"],
  ["HTTPS://EXAMPLE.COM/Upper", "https://example.com/Upper"],
  ["https://example.com/\u00a0nbsp", "https://example.com/%C2%A0nbsp"],
  ["https://example.com/زبان", "https://example.com/%D8%B2%D8%A8%D8%A7%D9%86"],
];

describe.each(DIALECTS)("click redirects to non-ASCII destinations on %s", (dialect) => {
  let t: TestApp;
  let acc: TestAccount;
  let base: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    acc = (await seedAccount(t)).acc;
  });
  afterAll(() => t.close());

  it("redirects every link a sent message contained to its WHATWG serialisation, never a 5xx", async () => {
    const html = LINKS.map(([href], i) => `<a href="${href}">link ${i}</a>`).join("\n");
    await createActive(t, acc, {
      name: "links",
      trigger: { type: "contact_created" },
      entry_step_id: "m",
      steps: [{ id: "m", type: "send_email", email: { subject: "Links", html }, next: null }],
    });
    await contact(t, acc, "clicker@example.com");
    await settle(t);
    await t.services.sender.drain();
    const sent = (await t.call(acc, "GET", "/api/outbox/messages")).json().data[0] as { html: string };
    const clicks = [...sent.html.matchAll(/href="([^"]*\/t\/c\/[^"]+)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, "&")).pathname);
    expect(clicks).toHaveLength(LINKS.length);
    const answers = [];
    for (const path of clicks) {
      const res = await fetch(base + path, {
        redirect: "manual",
        headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0" },
      });
      answers.push({ status: res.status, location: res.headers.get("location") });
    }
    expect(answers).toEqual(LINKS.map(([, location]) => ({ status: 302, location })));
  });
});
