import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { advance, contact, createActive, seedAccount, settle, welcomeSeries } from "../engine/engine-helpers.ts";
import { type SmtpSink, startSink } from "./smtp-sink.ts";

/** Engine and sender both catch up with everything due now. */
async function flush(t: TestApp): Promise<void> {
  await settle(t);
  await t.services.sender.drain();
}

async function messagesOf(t: TestApp, automationId: number) {
  return t.store.db.selectFrom("messages").selectAll().where("automation_id", "=", automationId).orderBy("id").execute();
}

describe.each(DIALECTS)("delivery to a real SMTP server on %s", (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSink();
    // Jitter pinned to its middle: the first retry is exactly 60 s later.
    t = await testApp(
      dialect,
      { MAILWRIGHT_TEST_CLOCK: "1", MAILWRIGHT_SMTP_URL: sink.url, MAILWRIGHT_PUBLIC_URL: "https://mail.example.com" },
      { senderRandom: () => 0.5 },
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.plan.length = 0;
    sink.attempts = 0;
  });

  async function oneEmailAutomation(acc: TestAccount, email: Record<string, unknown>) {
    return createActive(t, acc, {
      name: "One email",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [{ id: "s1", type: "send_email", email, next: null }],
    });
  }

  it("delivers with the bulk-sender headers, escaped merge values, inlined CSS and both parts", async () => {
    const { acc, ok } = await seedAccount(t);
    const tpl = (
      await ok(
        t.call(acc, "POST", "/api/email_templates", {
          email_template: {
            name: "Styled",
            category: "c",
            subject: "Hello {{plan}} & co",
            body_html:
              '<html><head><style>p { color: red; }</style></head><body><p>Hi {{plan}}</p><a href="https://example.com/docs?a=1&amp;b=2">docs</a> <a href="{{unsubscribe_url}}">unsubscribe</a> <a href="mailto:help@example.com">mail</a></body></html>',
          },
        }),
      )
    ).id as number;
    const id = await oneEmailAutomation(acc, {
      template_id: tpl,
      from_email: "news@example.com",
      from_name: "News",
      preheader: "Fresh {{plan}} news",
    });
    await contact(t, acc, "ann@example.com", { fields: { plan: "<b>pro</b>" } });
    await flush(t);

    expect(sink.received).toHaveLength(1);
    const { raw, parsed } = sink.received[0]!;
    const [msg] = await messagesOf(t, id);
    expect(msg!.status).toBe("sent");
    expect(msg!.message_id).toBe(`<r${msg!.run_id}.s1.${acc.accountId}@mail.example.com>`);
    expect(parsed.messageId).toBe(msg!.message_id);
    expect(parsed.subject).toBe("Hello <b>pro</b> & co");
    expect(parsed.from?.value[0]).toMatchObject({ address: "news@example.com", name: "News" });

    // List-Unsubscribe is one unfolded line: the HTTPS URL, then the mailto.
    const line = raw.split("\r\n").find((l) => l.toLowerCase().startsWith("list-unsubscribe:"))!;
    expect(line).toMatch(
      /^List-Unsubscribe: <https:\/\/mail\.example\.com\/u\/[^>]+>, <mailto:unsubscribe@mail\.example\.com\?subject=[^>]+>$/,
    );
    expect(line.length).toBeGreaterThan(78);
    expect(raw).toContain("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    // Nodemailer spells it List-ID; header names are case-insensitive.
    expect(raw).toContain(`\r\nList-ID: <automation-${id}.${acc.accountId}.mail.example.com>\r\n`);
    expect(raw).toContain(`\r\nFeedback-ID: s1:${id}:${acc.accountId}:mailwright\r\n`);

    const html = parsed.html as string;
    expect(html).toContain('<p style="color: red;">Hi &lt;b&gt;pro&lt;/b&gt;</p>');
    expect(html).not.toContain("<style>");
    expect(html).toMatch(/<body><div style="display:none;[^"]*">Fresh &lt;b&gt;pro&lt;\/b&gt; news<\/div>/);
    expect(html).toMatch(/href="https:\/\/mail\.example\.com\/t\/c\/[^"]+">docs/);
    expect(html).toMatch(/href="https:\/\/mail\.example\.com\/u\/[^"]+">unsubscribe/);
    expect(html).toContain('href="mailto:help@example.com"');
    expect(html).toMatch(/<img src="https:\/\/mail\.example\.com\/t\/o\/[^"]+" width="1" height="1"/);
    expect(parsed.text).toContain("Hi <b>pro</b>");

    // The click link redirects to the URL that was in the message, decoded.
    const click = /href="https:\/\/mail\.example\.com(\/t\/c\/[^"]+)"/.exec(html)![1]!;
    const res = await t.app.inject({ method: "GET", url: click });
    expect(res.headers.location).toBe("https://example.com/docs?a=1&b=2");

    const listed = (await t.call(acc, "GET", `/api/messages?automation_id=${id}`)).json().data;
    expect(listed).toEqual([
      expect.objectContaining({
        id: msg!.id,
        status: "sent",
        subject: "Hello <b>pro</b> & co",
        to: "ann@example.com",
        sent_at: expect.any(String),
        error: null,
      }),
    ]);
  });

  it("tracking can be turned off per email", async () => {
    const { acc } = await seedAccount(t);
    await oneEmailAutomation(acc, {
      subject: "Plain",
      html: '<p><a href="https://example.com/">x</a></p>',
      track_opens: false,
      track_clicks: false,
    });
    await contact(t, acc, "plain@example.com");
    await flush(t);
    const html = sink.received[0]!.parsed.html as string;
    expect(html).toBe('<p><a href="https://example.com/">x</a></p>');
  });

  it("a server answering 421 twice, then 250, gets exactly one delivery, with the same Message-ID", async () => {
    const { acc } = await seedAccount(t);
    const id = await oneEmailAutomation(acc, { subject: "Retry", text: "hello" });
    sink.plan.push({ code: 421, message: "4.7.0 try again later" }, { code: 421, message: "4.7.0 try again later" });
    await contact(t, acc, "retry@example.com");
    await flush(t);
    let [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "queued", attempts: 1 });
    expect(msg!.error).toMatch(/^421/);
    expect(sink.received).toHaveLength(0);

    await advance(t, acc, 30); // not due yet: nothing is attempted
    await t.services.sender.drain();
    expect(sink.attempts).toBe(1);

    await advance(t, acc, 31); // 1 min after the first attempt
    await t.services.sender.drain();
    [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "queued", attempts: 2 });

    await advance(t, acc, 5 * 60 + 1); // the second interval is 5 min
    await t.services.sender.drain();
    [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "sent", attempts: 3, error: null });
    expect(sink.attempts).toBe(3);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.parsed.messageId).toBe(msg!.message_id);

    await advance(t, acc, 3600);
    await t.services.sender.drain();
    expect(sink.received).toHaveLength(1);
  });

  it("a 550 reply is one attempt and a permanent failure with the reply stored", async () => {
    const { acc } = await seedAccount(t);
    const id = await oneEmailAutomation(acc, { subject: "Nope", text: "hello" });
    sink.plan.push({ code: 550, message: "5.7.1 message refused by policy" });
    await contact(t, acc, "refused@example.com");
    await flush(t);
    await advance(t, acc, 3 * 24 * 3600);
    await t.services.sender.drain();
    const [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "failed", attempts: 1, next_attempt_at: null });
    expect(msg!.smtp_response).toContain("550 5.7.1 message refused by policy");
    expect(msg!.error).toContain("550");
    expect(sink.attempts).toBe(1);
    // Not an unknown user: the contact stays subscribed.
    const c = (await t.call(acc, "GET", "/api/contacts/refused@example.com")).json().data;
    expect(c.status).toBe("subscribed");
    const report = (await t.call(acc, "GET", `/api/automations/${id}/report`)).json().data;
    expect(report.steps[0].email).toMatchObject({ sent: 0, failed: 1 });
  });

  it("a connection dropped mid-DATA is retried and delivered once", async () => {
    const { acc } = await seedAccount(t);
    const id = await oneEmailAutomation(acc, { subject: "Dropped", text: "x".repeat(200_000) });
    sink.plan.push("drop");
    await contact(t, acc, "drop@example.com");
    await flush(t);
    let [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "queued", attempts: 1 });
    expect(msg!.error).toMatch(/^connection/);
    await advance(t, acc, 61);
    await t.services.sender.drain();
    [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "sent", attempts: 2 });
    expect(sink.received).toHaveLength(1);
  });

  it("a 550 5.1.1 unknown user unsubscribes the contact, writes the trigger event and records the reason", async () => {
    const { acc } = await seedAccount(t);
    const id = await oneEmailAutomation(acc, { subject: "Bounce", text: "hello" });
    sink.plan.push({ code: 550, message: "5.1.1 <ghost@example.com>: Recipient address rejected: User unknown", at: "rcpt" });
    const c = await contact(t, acc, "ghost@example.com");
    await flush(t);
    const [msg] = await messagesOf(t, id);
    expect(msg).toMatchObject({ status: "failed", attempts: 1 });
    expect(msg!.smtp_response).toContain("5.1.1");
    const got = (await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data;
    expect(got.status).toBe("unsubscribed");
    const events = await t.store.db
      .selectFrom("trigger_events")
      .select("type")
      .where("account_id", "=", acc.accountId)
      .where("contact_id", "=", c.id)
      .execute();
    expect(events.map((e) => e.type)).toContain("contact_unsubscribed");
    const sup = await t.store.db.selectFrom("suppressions").select("reason").where("account_id", "=", acc.accountId).execute();
    expect(sup.map((s) => s.reason)).toEqual([expect.stringContaining("5.1.1")]);
  });

  it("one recipient's failure never re-sends the others", async () => {
    const { acc } = await seedAccount(t);
    const id = await oneEmailAutomation(acc, { subject: "Many", text: "hello" });
    sink.plan.push("ok", { code: 421, message: "4.2.1 busy" }, "ok");
    for (const n of [1, 2, 3]) await contact(t, acc, `m${n}@example.com`);
    await flush(t);
    expect(sink.received).toHaveLength(2);
    await advance(t, acc, 61);
    await t.services.sender.drain();
    expect((await messagesOf(t, id)).map((m) => m.status)).toEqual(["sent", "sent", "sent"]);
    expect(sink.received.map((r) => r.to[0]).sort()).toEqual(["m1@example.com", "m2@example.com", "m3@example.com"]);
  });

  it("the welcome series ends with its email in the SMTP sink", async () => {
    const { acc, listA, template } = await seedAccount(t);
    await createActive(t, acc, welcomeSeries(template, listA));
    await contact(t, acc, "pro@example.com", { fields: { plan: "pro" } });
    await flush(t);
    await advance(t, acc, 2 * 24 * 3600 + 60);
    await t.services.sender.drain();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.parsed.subject).toBe("Hi pro");
    expect(sink.received[0]!.parsed.html).toContain("Hello pro@example.com");
  });
});
