import { describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { testApp } from "./helpers/test-app.ts";

/** An email written inline in a send_email step has the template editor's preview and test send (POST /api/email_preview…). */
describe.each(DIALECTS)("inline email preview and test send on %s", (dialect) => {
  it("renders an unsaved inline email for a contact or sample data, sends a marked test, and names bad input", async () => {
    const t = await testApp(dialect);
    try {
      const acc = await t.newAccount();
      await t.call(acc, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
      await t.call(acc, "POST", "/api/contacts", { contact: { email: "ann@example.com", fields: { plan: "pro" } } });
      const email = {
        subject: "Hi {{email}}",
        html: '<p>Your plan: {{plan}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
        text: "Plan {{plan}}",
      };

      const sample = await t.call(acc, "POST", "/api/email_preview", { email });
      expect(sample.statusCode).toBe(200);
      expect(sample.json().data).toMatchObject({ subject: "Hi jane.doe@example.com", text: "Plan Sample" });
      expect(sample.json().data.html).toContain("Your plan: Sample");

      const forAnn = await t.call(acc, "POST", "/api/email_preview", { email, contact_id: "ann@example.com" });
      expect(forAnn.json().data).toMatchObject({ subject: "Hi ann@example.com", text: "Plan pro" });

      const sent = await t.call(acc, "POST", "/api/email_preview/test_send", { to: "Me@Example.com", email });
      expect(sent.statusCode).toBe(200);
      expect(sent.json().data).toMatchObject({ to: "me@example.com", accepted: true });
      const outbox = (await t.call(acc, "GET", "/api/outbox/messages?to=me%40example.com")).json().data;
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ subject: "[Test] Hi jane.doe@example.com" });

      expect((await t.call(acc, "POST", "/api/email_preview", { email: { subject: "Hi {{#if}}" } })).json().errors.base[0]).toMatch(
        /^cannot render/,
      );
      const unknown = await t.call(acc, "POST", "/api/email_preview", { email: { subject: "x", template_id: 1 } });
      expect(unknown.statusCode).toBe(422);
      expect((await t.call(acc, "POST", "/api/email_preview/test_send", { to: "nope", email })).json()).toEqual({
        errors: { to: ["is invalid"] },
      });
      expect((await t.call(acc, "POST", "/api/email_preview", {})).statusCode).toBe(422);
    } finally {
      await t.close();
    }
  });
});
