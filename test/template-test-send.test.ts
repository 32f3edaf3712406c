import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestApp, testApp } from "./helpers/test-app.ts";
import { advance, createActive, seedAccount, settle } from "./engine/engine-helpers.ts";

describe.each(DIALECTS)("a template's test send on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  it("is composed as a real send is: CSS inlined, links in the text part, the unsubscribe URL always there", async () => {
    const { acc } = await seedAccount(t);
    const body_html = `<html><head><style>.cta { color: #d00; }</style></head><body><p class="cta"><a href="https://example.com/docs">Read the docs</a></p></body></html>`;
    const tpl = (
      await t.call(acc, "POST", "/api/email_templates", { email_template: { name: "Styled", category: "c", subject: "Hi", body_html } })
    ).json();

    const sent = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/test_send`, { to: "me@example.com" });
    expect(sent.statusCode).toBe(200);
    const [test] = (await t.call(acc, "GET", "/api/outbox/messages?to=me%40example.com")).json().data;
    expect(test.html).toMatch(/<p class="cta" style="color: #d00;">/);
    expect(test.text).toContain("Read the docs [https://example.com/docs]");
    expect(test.text).toContain("Unsubscribe: https://example.invalid/unsubscribe");

    // The real send of the same template, for comparison: the same inlined style.
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "real@example.com" } });
    await createActive(t, acc, {
      name: "Real",
      trigger: { type: "contact_created" },
      entry_step_id: "s",
      steps: [{ id: "s", type: "send_email", email: { template_id: tpl.id }, next: null }],
    });
    await t.call(acc, "POST", "/api/contacts", { contact: { email: "later@example.com" } });
    await settle(t);
    await advance(t, acc, 60);
    await t.services.sender.drain();
    const [real] = (await t.call(acc, "GET", "/api/outbox/messages?to=later%40example.com")).json().data;
    expect(real.html).toMatch(/<p class="cta" style="color: #d00;">/);
    expect(real.text).toMatch(/Unsubscribe: https?:\/\/\S+\/u\/\S+$/);
  });
});
