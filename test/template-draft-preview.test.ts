import { describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { testApp } from "./helpers/test-app.ts";

describe.each(DIALECTS)("template preview of unsaved edits on %s", (dialect) => {
  it("renders the edited parts in place of the saved ones, saves nothing, and names a parse error", async () => {
    const t = await testApp(dialect);
    try {
      const acc = await t.newAccount();
      const tpl = (
        await t.call(acc, "POST", "/api/email_templates", {
          email_template: { name: "W", category: "c", subject: "Saved {{email}}", body_html: "<p>Saved</p>" },
        })
      ).json();
      const draft = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/preview`, {
        contact: { email: "ann@example.com" },
        email_template: { body_html: "<p>Draft for {{email}}</p>" },
      });
      expect(draft.statusCode).toBe(200);
      expect(draft.json().data).toMatchObject({ subject: "Saved ann@example.com", html: "<p>Draft for ann@example.com</p>" });
      expect((await t.call(acc, "GET", `/api/email_templates/${tpl.id}`)).json().body_html).toBe("<p>Saved</p>");

      const broken = await t.call(acc, "POST", `/api/email_templates/${tpl.id}/preview`, { email_template: { subject: "Hi {{#if}}" } });
      expect(broken.statusCode).toBe(422);
      expect(broken.json().errors.base[0]).toMatch(/^cannot render/);
    } finally {
      await t.close();
    }
  });
});
