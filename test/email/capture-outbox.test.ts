import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { advance, contact, createActive, seedAccount, settle, welcomeSeries } from "../engine/engine-helpers.ts";

function sentCount(metrics: string): number {
  return Number(/^mailwright_send_duration_seconds_count\{outcome="sent"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

async function flush(t: TestApp): Promise<void> {
  await settle(t);
  await t.services.sender.drain();
}

describe.each(DIALECTS)("capture transport and the outbox API on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1", MAILWRIGHT_PUBLIC_URL: "https://mail.example.com" });
  });
  afterAll(() => t.close());

  it("the welcome series ends with its email in the capture outbox, in DESIGN's shape", async () => {
    const { acc, listA, template } = await seedAccount(t);
    const id = await createActive(t, acc, welcomeSeries(template, listA));
    await contact(t, acc, "pro@example.com", { fields: { plan: "pro" } });
    await contact(t, acc, "free@example.com", { fields: { plan: "free" } });
    await flush(t);
    await advance(t, acc, 2 * 24 * 3600 + 60);
    await t.services.sender.drain();

    const res = await t.call(acc, "GET", "/api/outbox/messages");
    expect(res.statusCode).toBe(200);
    const data = res.json().data as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    // Newest first: the second contact's email was sent last.
    expect(data.map((m) => m["to"])).toEqual(["free@example.com", "pro@example.com"]);
    const pro = data[1]!;
    expect(Object.keys(pro).sort()).toEqual(["created_at", "from", "headers", "html", "id", "message_id", "subject", "text", "to"]);
    const messages = await t.store.db.selectFrom("messages").selectAll().where("automation_id", "=", id).orderBy("id").execute();
    expect(pro).toMatchObject({ message_id: messages[0]!.message_id, from: "mailwright@mail.example.com", subject: "Hi pro" });
    // The text part always ends with the unsubscribe URL, the same one List-Unsubscribe names.
    expect(pro["text"]).toMatch(/^Hello pro@example\.com\n\nUnsubscribe: https:\/\/mail\.example\.com\/u\/\S+$/);
    expect(pro["html"]).toContain("<p>Hello pro@example.com</p>");
    expect(new Date(pro["created_at"] as string).toISOString()).toBe(pro["created_at"]);
    const headers = pro["headers"] as Record<string, string>;
    expect(Object.keys(headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(headers).toMatchObject({
      "list-unsubscribe-post": "List-Unsubscribe=One-Click",
      "message-id": messages[0]!.message_id,
      subject: "Hi pro",
    });
    expect(headers["list-unsubscribe"]).toMatch(/^<https:\/\/mail\.example\.com\/u\/.+>, <mailto:.+>$/);

    // The raw MIME keeps List-Unsubscribe on one line.
    const raw = (
      await t.store.db.selectFrom("outbox_messages").select("raw").where("message_row_id", "=", messages[0]!.id).executeTakeFirstOrThrow()
    ).raw;
    expect(raw.split("\r\n").filter((l) => l.startsWith("List-Unsubscribe:"))[0]).toBe(`List-Unsubscribe: ${headers["list-unsubscribe"]}`);

    const filtered = (await t.call(acc, "GET", "/api/outbox/messages?to=pro@example.com&limit=5")).json().data;
    expect(filtered.map((m: { to: string }) => m.to)).toEqual(["pro@example.com"]);
    expect((await t.call(acc, "GET", "/api/outbox/messages?limit=1")).json().data).toHaveLength(1);
    // Account-scoped, under both prefixes.
    const other = await t.newAccount();
    expect((await t.call(other, "GET", "/api/outbox/messages")).json().data).toEqual([]);
    expect((await t.call(acc, "GET", `/api/accounts/${acc.accountId}/outbox/messages`)).json().data).toHaveLength(2);
  });

  it("/metrics counts every delivery attempt in the send-duration histogram, by outcome", async () => {
    const { acc } = await seedAccount(t);
    const sentBefore = sentCount((await t.app.inject({ method: "GET", url: "/metrics" })).body);
    await createActive(t, acc, {
      name: "metered",
      trigger: { type: "contact_created" },
      entry_step_id: "e",
      steps: [{ id: "e", type: "send_email", email: { subject: "S", text: "t" }, next: null }],
    });
    await contact(t, acc, "m1@example.com");
    await contact(t, acc, "m2@example.com");
    await flush(t);
    const body = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(sentCount(body) - sentBefore).toBe(2);
    expect(body).toMatch(/^mailwright_send_duration_seconds_bucket\{le="0\.005",outcome="sent"\} \d+$/m);
  });

  it("GET /api/messages lists a contact's messages with status, subject and times", async () => {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "m",
      trigger: { type: "contact_created" },
      entry_step_id: "e",
      steps: [{ id: "e", type: "send_email", email: { subject: "Hey {{email}}", text: "t" }, next: null }],
    });
    const c = await contact(t, acc, "list@example.com");
    await settle(t);
    let data = (await t.call(acc, "GET", `/api/messages?contact=${c.id}`)).json().data;
    expect(data).toEqual([
      {
        id: expect.any(Number),
        run_id: expect.any(Number),
        step_id: "e",
        contact_id: c.id,
        to: "list@example.com",
        subject: null,
        status: "queued",
        sent_at: null,
        opened_at: null,
        clicked_at: null,
        error: null,
      },
    ]);
    await t.services.sender.drain();
    data = (await t.call(acc, "GET", `/api/messages?contact=list@example.com&automation_id=${id}`)).json().data;
    expect(data[0]).toMatchObject({ status: "sent", subject: "Hey list@example.com", sent_at: expect.any(String) });
    expect((await t.call(acc, "GET", "/api/messages?contact=nobody@example.com")).json().data).toEqual([]);
    expect((await t.call(acc, "GET", "/api/messages?automation_id=abc")).statusCode).toBe(422);
  });

  it("a template that breaks the render limits fails at once with a clear error, and nothing is sent", async () => {
    const { acc } = await seedAccount(t);
    // 20⁵ iterations of 100 bytes (320 MB): stopped by the output (or time) limit long before.
    const p = "{{#each @root.event.params}}";
    const html = `${p.repeat(5)}${"x".repeat(100)}${"{{/each}}".repeat(5)}`;
    const id = await createActive(t, acc, {
      name: "big",
      trigger: { type: "custom_event", event: "boom" },
      entry_step_id: "e",
      steps: [{ id: "e", type: "send_email", email: { subject: "s", html }, next: null }],
    });
    const c = await contact(t, acc, "boom@example.com");
    const ev = await t.call(acc, "POST", `/api/contacts/${c.id}/events`, {
      name: "boom",
      params: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    });
    expect(ev.statusCode, ev.body).toBe(201);
    await flush(t);
    const [msg] = await t.store.db.selectFrom("messages").selectAll().where("automation_id", "=", id).execute();
    expect(msg).toMatchObject({ status: "failed", attempts: 0 });
    expect(msg!.error).toMatch(/^render: (rendered output exceeds|render time limit)/);
    expect(await t.store.db.selectFrom("outbox_messages").select("id").where("message_row_id", "=", msg!.id).execute()).toEqual([]);
  });
});
