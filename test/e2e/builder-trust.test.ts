import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiCall,
  checkA11y,
  ensureWebBuild,
  launchBrowser,
  type MailwrightProcess,
  newPage,
  startMailwright,
  setupAdmin,
} from "./browser.ts";

/**
 * What a marketer must be able to trust in the builder, in Chromium against a real server:
 * leaving a live automation never publishes it (it asks, and keeps the edit in the browser
 * to restore later), the publish dialog's choices can be seen and clicked, and "New
 * automation" asks for a name before anything is created (an abandoned draft can be deleted).
 */
describe("the builder never changes a live automation behind the user's back", () => {
  let server: MailwrightProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let liveId = 0;
  const patches: string[] = [];

  let call: ApiCall;

  type Live = { data: { name: string; version: number; status: string; steps: unknown[] } };
  const live = () => call<Live>("GET", `/api/automations/${liveId}`).then((r) => r.data);
  const versions = () => call<{ data: unknown[] }>("GET", `/api/automations/${liveId}/versions`).then((r) => r.data.length);
  const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startMailwright();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, server.baseUrl));
    page.setDefaultTimeout(20_000);
    call = await setupAdmin(context, server, "trust@example.com");
    const template = await call<{ id: number }>("POST", "/api/email_templates", {
      email_template: { name: "Hello", subject: "Hello", category: "test", body_text: "Hello {{email}}" },
    });
    const created = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "Live welcome",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "send_email", email: { template_id: template.id }, next: "s2" },
        { id: "s2", type: "delay", amount: 2, unit: "days", next: null },
      ],
      settings: { reentry_hours: 24 },
    });
    liveId = created.data.id;
    await call("POST", `/api/automations/${liveId}/activate`);
    page.on("request", (r) => {
      if (r.method() === "PATCH") patches.push(r.url());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function editLiveName(name: string): Promise<void> {
    await page.goto(`/automations/${liveId}`);
    await page.getByLabel("Automation name").fill(name);
    await page.getByRole("button", { name: "Publish changes" }).waitFor();
  }

  it("asks before leaving with unpublished changes; keep editing stays, discard leaves and nothing is published", async () => {
    await editLiveName("Live welcome (half typed");
    await nav("Contacts");
    const ask = page.getByRole("dialog", { name: "Leave with unpublished changes?" });
    await ask.waitFor();
    await checkA11y(page, "leave dialog");
    await ask.getByRole("button", { name: "Keep editing" }).click();
    await ask.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe(`/automations/${liveId}`);
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Live welcome (half typed");

    await nav("Contacts");
    await ask.getByRole("button", { name: "Discard changes" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/contacts");
    await page.getByRole("heading", { name: "Contacts", exact: true }).waitFor();
    // The server still has the first and only version, as activated.
    expect(await live()).toMatchObject({ name: "Live welcome", version: 1, status: "active" });
    expect(await versions()).toBe(1);
    expect(patches).toEqual([]);

    // Discarded means gone: reopening offers nothing to restore.
    await page.goto(`/automations/${liveId}`);
    await page.getByLabel("Automation name").waitFor();
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Live welcome");
    expect(await page.getByRole("region", { name: "Unpublished changes in this browser" }).count()).toBe(0);
  });

  it("keeps a left edit in the browser, offers it on return, and publishes it only through the dialog (keep, radios big enough to click)", async () => {
    await editLiveName("Live welcome v2");
    await nav("Templates");
    const ask = page.getByRole("dialog", { name: "Leave with unpublished changes?" });
    await ask.getByRole("button", { name: "Leave, keep my changes" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/templates");
    expect(await live()).toMatchObject({ name: "Live welcome", version: 1 });

    await page.goto(`/automations/${liveId}`);
    const offer = page.getByRole("region", { name: "Unpublished changes in this browser" });
    await offer.getByText(/You have unpublished changes from /).waitFor();
    // Nothing is applied until the user says so.
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Live welcome");
    await checkA11y(page, "restore banner");
    await offer.getByRole("button", { name: "Restore" }).click();
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Live welcome v2");
    expect(await versions()).toBe(1);

    await page.getByRole("button", { name: "Publish changes" }).click();
    const publish = page.getByRole("dialog", { name: "Publish version 2?" });
    await publish.waitFor();
    for (const choice of ["move", "keep"]) {
      const box = await publish.locator(`input[type=radio][value=${choice}]`).boundingBox();
      expect(box?.width, `${choice} radio width`).toBeGreaterThanOrEqual(12);
      expect(box?.height, `${choice} radio height`).toBeGreaterThanOrEqual(12);
    }
    await publish.getByRole("radio", { name: /Keep them on the version they entered/ }).check();
    await checkA11y(page, "publish dialog");
    await publish.getByRole("button", { name: "Publish", exact: true }).click();
    await publish.waitFor({ state: "detached" });
    expect(await live()).toMatchObject({ name: "Live welcome v2", version: 2 });
    expect(patches).toHaveLength(1);

    // Published: no stale offer and no question when leaving.
    await nav("Automations");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/automations");
    await page.goto(`/automations/${liveId}`);
    await page.getByLabel("Automation name").waitFor();
    expect(await page.getByRole("region", { name: "Unpublished changes in this browser" }).count()).toBe(0);
  });

  it("treats a reload like any other way of leaving: the browser asks, nothing is published, the edit is offered back", async () => {
    const before = await live();
    await editLiveName("Live welcome (reloaded)");
    const asked: string[] = [];
    const answer = (d: Dialog) => {
      asked.push(d.type());
      void d.accept();
    };
    page.on("dialog", answer);
    await page.reload();
    page.off("dialog", answer);
    expect(asked).toEqual(["beforeunload"]);
    const offer = page.getByRole("region", { name: "Unpublished changes in this browser" });
    await offer.getByText(/You have unpublished changes from /).waitFor();
    expect(await live()).toEqual(before);
    await offer.getByRole("button", { name: "Discard" }).click();
    await offer.waitFor({ state: "detached" });
    expect(await page.getByLabel("Automation name").inputValue()).toBe(before.name);
  });

  it("asks for a name before creating an automation, and deletes a draft from the list", async () => {
    const count = () => call<{ data: unknown[] }>("GET", "/api/automations").then((r) => r.data.length);
    await nav("Automations");
    await page.getByRole("link", { name: "Live welcome v2" }).waitFor();
    await page.getByRole("button", { name: "New automation" }).click();
    const dialog = page.getByRole("dialog", { name: "New automation" });
    await dialog.waitFor();
    await checkA11y(page, "new automation dialog");
    expect(await count()).toBe(1);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await count()).toBe(1);

    await page.getByRole("button", { name: "New automation" }).click();
    await dialog.getByRole("button", { name: "Create" }).click();
    await dialog.getByRole("alert").filter({ hasText: "Give the automation a name" }).waitFor();
    expect(await count()).toBe(1);
    await dialog.getByLabel("Name").fill("Spring promo");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect.poll(() => page.url()).toMatch(/\/automations\/\d+$/);
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Spring promo");
    // The builder opens on the trigger, the first thing to choose.
    await page.getByTestId("step-panel").getByLabel("Trigger", { exact: true }).waitFor();
    expect(await count()).toBe(2);

    await nav("Automations");
    const row = page.getByRole("row").filter({ hasText: "Spring promo" });
    await row.waitFor();
    // Only drafts (never activated) can be deleted from the list.
    expect(
      await page
        .getByRole("row")
        .filter({ hasText: "Live welcome v2" })
        .getByRole("button", { name: /Delete/ })
        .count(),
    ).toBe(0);
    await row.getByRole("button", { name: "Delete Spring promo" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete the draft “Spring promo”?" });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await row.waitFor({ state: "detached" });
    expect(await count()).toBe(1);
  });

  it("previews an email written in the step, as the template editor does, and sends a test of it", async () => {
    await call("POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    const created = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "Inline hello",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        {
          id: "s1",
          type: "send_email",
          email: { subject: "Hello {{email}}", html: "<p>Your plan: {{plan}}</p>", text: "Plan {{plan}}" },
          next: null,
        },
      ],
      settings: { reentry_hours: 24 },
    });
    await page.goto(`/automations/${created.data.id}`);
    await page.getByTestId("flow-node-s1").click();
    const panel = page.getByTestId("step-panel");
    await panel.getByLabel("HTML body (optional)").fill("<p>Your plan, today: {{plan}}</p>");
    await panel.getByRole("button", { name: "Preview and test" }).click();
    const preview = page.getByRole("dialog", { name: "Email preview" });
    await preview.waitFor();
    // The unsaved text, rendered by the server with sample values.
    await expect
      .poll(() => preview.frameLocator('iframe[title="HTML preview"]').locator("body").textContent())
      .toContain("Your plan, today: Sample");
    expect(await preview.getByTestId("preview-subject").textContent()).toBe("Hello jane.doe@example.com");
    await checkA11y(page, "inline email preview");
    await preview.getByLabel("Send a test to").fill("me@example.com");
    await preview.getByRole("button", { name: "Send test" }).click();
    await preview.getByRole("status").filter({ hasText: "Test sent to me@example.com." }).waitFor();
    const outbox = await call<{ data: { subject: string }[] }>("GET", "/api/outbox/messages?to=me%40example.com");
    expect(outbox.data.map((m) => m.subject)).toEqual(["[Test] Hello jane.doe@example.com"]);
    await preview.getByRole("button", { name: "Close" }).click();
    await preview.waitFor({ state: "hidden" });
  });
});
