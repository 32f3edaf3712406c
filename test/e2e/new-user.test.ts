import type { Browser, Page } from "playwright-core";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import {
  type MailwrightProcess,
  SCREENSHOTS,
  VIEWPORT,
  checkA11y,
  ensureWebBuild,
  launchBrowser,
  newPage,
  startMailwright,
} from "./browser.ts";
import { buildWelcomeSeries } from "./builder-steps.ts";

/**
 * The acceptance flow of a new user, in a real browser against a real server: set up the
 * admin, create a token, a field, a list and a template, build the welcome series on the
 * canvas, watch it run with the test clock, compare the Reports tab with the API, then pause
 * and disable it. Every main page passes axe; the screenshots land in docs/screenshots/.
 */
describe("a new user's first welcome series, in the browser", () => {
  let server: MailwrightProcess;
  let browser: Browser;
  let page: Page;
  let token = "";
  let automationId = "";

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startMailwright();
    browser = await launchBrowser();
    ({ page } = await newPage(browser, server.baseUrl));
    // Generous: the machine may be busy; a passing run takes well under a minute.
    page.setDefaultTimeout(30_000);
  }, 120_000);

  // A failed step leaves what the browser showed and what the server said, for the reader.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !page) return;
    const file = path.join(os.tmpdir(), `mw-e2e-failure-${Date.now()}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.error(`e2e step failed at ${page.url()}; screenshot: ${file}\nserver output:\n${server.output().slice(-2000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The API as a script would call it, with the token the user created in the UI. */
  async function apiGet<T>(url: string): Promise<T> {
    const res = await fetch(`${server.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, `${url}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as T;
  }

  const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();

  it("sends the first visitor to create the admin, then to an empty automations page that says what to do", async () => {
    await page.goto("/");
    await expect.poll(() => page.url()).toMatch(/\/setup$/);
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await page.getByLabel("Confirm password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByRole("heading", { name: "Build an automation, activate it, then add contacts" }).waitFor();
    // Said before the steps are followed: contacts added before activation never enter.
    await page.getByText("contacts that already existed do not enter", { exact: false }).waitFor();
    expect(page.url()).toMatch(/\/automations$/);
    await look(page, "automations (empty)");
    await shots(page, "automations-empty");
  });

  it("creates an API token that is shown once and works against the API", async () => {
    await nav("Settings");
    await page.getByLabel("Token name").fill("e2e script");
    await page.getByRole("button", { name: "Create token" }).click();
    token = await page.getByLabel("New API token").inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByRole("cell", { name: "e2e script", exact: true }).waitFor();
    await look(page, "settings");
    await shots(page, "settings");
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByLabel("New API token").count()).toBe(0);
    const automations = await apiGet<{ data: unknown[] }>("/api/automations");
    expect(automations.data).toEqual([]);
  });

  it("creates the field, the list and the templates the series uses", async () => {
    await nav("Fields");
    await page.getByLabel("Field name").fill("plan");
    await expect.poll(() => page.getByLabel("Merge tag").inputValue()).toBe("plan");
    await page.getByRole("button", { name: "Create field" }).click();
    await page.getByRole("cell", { name: "{{plan}}", exact: true }).waitFor();
    await look(page, "fields");
    await shots(page, "fields");

    await nav("Lists");
    await page.getByLabel("New list name").fill("Upgrade prospects");
    await page.getByRole("button", { name: "Create list" }).click();
    await page.getByRole("link", { name: "Upgrade prospects" }).waitFor();
    await look(page, "lists");
    await shots(page, "lists");

    await nav("Templates");
    await look(page, "templates (empty)");
    await page.getByLabel("Template name").fill("Welcome");
    await page.getByLabel("Subject").fill("Welcome aboard, {{email}}");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.getByRole("heading", { name: "Template: Welcome" }).waitFor();
    await page
      .getByLabel("HTML body")
      .fill(
        '<h1>Welcome!</h1>\n<p>Hi {{email}}, your plan: {{plan}}.</p>\n<p><a href="https://example.com/start">Get started</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      );
    // The server renders the unsaved text a moment after typing stops.
    await expect.poll(() => page.frameLocator('iframe[title="HTML preview"]').locator("body").textContent()).toContain("your plan: Sample");
    expect(await page.getByTestId("preview-subject").textContent()).toBe("Welcome aboard, jane.doe@example.com");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Template saved.").waitFor();
    await page.getByLabel("Send a test to").fill("me@example.com");
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByRole("status").filter({ hasText: "Test sent to me@example.com." }).waitFor();
    await look(page, "template editor");
    await shots(page, "template-editor");

    await nav("Templates");
    await page.getByLabel("Template name").fill("Pro tips");
    await page.getByLabel("Subject").fill("Tips for pro users");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.getByRole("heading", { name: "Template: Pro tips" }).waitFor();
    await nav("Templates");
    await page.getByRole("link", { name: "Pro tips" }).waitFor();
    await look(page, "templates");
    await shots(page, "templates");
  });

  it("builds the welcome series on the canvas and activates it", async () => {
    await nav("Automations");
    await page.getByRole("button", { name: "New automation" }).click();
    // Name first; nothing exists until "Create".
    const named = page.getByRole("dialog", { name: "New automation" });
    await named.getByLabel("Name").fill("Welcome series");
    await look(page, "new automation dialog");
    await shots(page, "new-automation-dialog");
    await named.getByRole("button", { name: "Create" }).click();
    await expect.poll(() => page.url()).toMatch(/\/automations\/\d+$/);
    automationId = /\/automations\/(\d+)$/.exec(page.url())?.[1] ?? "";
    expect(await page.getByLabel("Automation name").inputValue()).toBe("Welcome series");
    // Email → 2 days → plan is pro? Yes: the pro tips email; No: the upgrade prospects list.
    await buildWelcomeSeries(page, {
      templateName: "Welcome",
      secondTemplateName: "Pro tips",
      fieldMergeTag: "plan",
      fieldValue: "pro",
      listName: "Upgrade prospects",
    });
    await look(page, "builder");
    await shots(page, "builder");
    await page.getByRole("button", { name: "Activate", exact: true }).click();
    await confirm(page, "Activate");
    await expect
      .poll(async () => (await apiGet<{ data: { status: string } }>(`/api/automations/${automationId}`)).data.status)
      .toBe("active");
  });

  it("adds two contacts in the UI, whose first emails appear in the Outbox", async () => {
    await nav("Contacts");
    await look(page, "contacts (empty)");
    for (const [email, plan] of [
      ["ann@example.com", "pro"],
      ["bob@example.com", ""],
    ] as const) {
      await page.getByRole("button", { name: "Add contact" }).click();
      const form = page.getByRole("form", { name: "Add contact" });
      await form.getByLabel("Email").fill(email);
      if (plan) await form.getByLabel("plan (text)").fill(plan);
      await form.getByRole("button", { name: "Save contact" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `Added ${email}` })
        .waitFor();
    }
    const table = page.getByRole("table", { name: "Contacts" });
    await table.getByRole("link", { name: "bob@example.com" }).waitFor();
    expect(await table.getByRole("row").filter({ hasText: "ann@example.com" }).textContent()).toContain("plan: pro");
    await look(page, "contacts");
    await shots(page, "contacts");

    // The engine and the sender work in the background; once both welcome emails are
    // captured, the Outbox lists them after the earlier test send.
    await expect
      .poll(async () => (await apiGet<{ data: unknown[] }>("/api/outbox/messages")).data.length, { timeout: 30_000, interval: 300 })
      .toBe(3);
    await nav("Outbox");
    const emails = page.getByRole("list", { name: "Captured emails" }).getByRole("button");
    // Newest first: the two welcome emails (sent together, in either order), then the test.
    await expect.poll(() => emails.count()).toBe(3);
    const listed = await emails.allTextContents();
    expect(listed[2]).toContain("[Test] Welcome aboard, jane.doe@example.com");
    expect(listed.slice(0, 2).sort()).toEqual([expect.stringContaining("ann@example.com"), expect.stringContaining("bob@example.com")]);
    await emails.filter({ hasText: "ann@example.com" }).click();
    const frame = page.locator("iframe.email-frame");
    // No scripts, forms or same-origin access; links may open a new tab.
    expect(await frame.getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");
    await expect.poll(() => page.frameLocator("iframe.email-frame").locator("body").textContent()).toContain("your plan: pro");
    await page.getByRole("rowheader", { name: "list-unsubscribe", exact: true }).waitFor();
    // Looking at an email is not reading it: no open is recorded, and a link in the preview
    // opens its destination in a new tab straight away, not through the tracked redirect.
    await page
      .context()
      .route("https://example.com/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>Start</title>" }));
    const [popup] = await Promise.all([
      page.context().waitForEvent("page"),
      page.frameLocator("iframe.email-frame").getByRole("link", { name: "Get started" }).click(),
    ]);
    await expect.poll(() => popup.url()).toBe("https://example.com/start");
    await popup.close();
    expect(await page.frameLocator("iframe.email-frame").locator("a", { hasText: "Unsubscribe" }).getAttribute("href")).toBeNull();
    expect(await page.frameLocator("iframe.email-frame").locator("body").textContent()).toContain("your plan: pro");
    const activity = await apiGet<{ data: { kind: string }[] }>("/api/contacts/ann%40example.com/activity");
    expect(activity.data.map((a) => a.kind)).not.toContain("email_opened");
    expect(activity.data.map((a) => a.kind)).not.toContain("email_clicked");
    await look(page, "outbox");
    await shots(page, "outbox");
  });

  it("moves the test clock two days from the header; the series finishes and the contact's journey shows why", async () => {
    // Watched from the Reports tab, which follows the engine without a reload.
    await page.goto(`/automations/${automationId}?tab=reports`);
    await page.getByRole("region", { name: "Reports" }).waitFor();
    expect(await shown(page, "summary-completed")).toBe(0);
    const clock = page.getByTestId("test-clock-now");
    const before = await clock.textContent();
    await page.getByRole("button", { name: "+2 days" }).click();
    await expect.poll(() => clock.textContent()).not.toBe(before);
    // After the delay the condition sends ann (plan = pro) the pro tips and bob to the list;
    // both runs complete and the third email is captured.
    await expect
      .poll(
        async () => {
          const report = await apiGet<{ data: { completed: number } }>(`/api/automations/${automationId}/report`);
          const outbox = await apiGet<{ data: unknown[] }>("/api/outbox/messages");
          return [report.data.completed, outbox.data.length];
        },
        { timeout: 20_000, interval: 300 },
      )
      .toEqual([2, 4]);
    await expect.poll(() => shown(page, "summary-completed"), { timeout: 15_000, interval: 250 }).toBe(2);

    await nav("Automations");
    await page.getByRole("link", { name: "Welcome series" }).waitFor();
    // Name, status, trigger, version, then the live entered / active / completed counts.
    const cells = page.getByRole("row").filter({ hasText: "Welcome series" }).getByRole("cell");
    await expect
      .poll(async () => (await cells.allTextContents()).slice(1, 7))
      .toEqual(["active", "Contact created", expect.stringMatching(/^v\d+$/), "2", "0", "2"]);
    await look(page, "automations");
    await shots(page, "automations");

    await nav("Contacts");
    await page.getByRole("table", { name: "Contacts" }).getByRole("link", { name: "ann@example.com" }).click();
    await page.getByRole("heading", { name: "ann@example.com" }).waitFor();
    const activity = page.getByRole("region", { name: "Activity" });
    await activity.getByText("plan equals “pro” — it was “pro”: yes").waitFor();
    const messages = page.getByRole("region", { name: "Messages" });
    await messages.getByText("Welcome aboard, ann@example.com").waitFor();
    await messages.getByText("Tips for pro users").waitFor();
    await look(page, "contact detail");
    await shots(page, "contact-detail");

    await page.getByLabel("Add to list").selectOption({ label: "Upgrade prospects" });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Added to Upgrade prospects." }).waitFor();
    await page.getByRole("button", { name: "Remove from Upgrade prospects" }).click();
    await page.getByRole("status").filter({ hasText: "Removed from Upgrade prospects." }).waitFor();
    await activity.getByText("Removed from list Upgrade prospects").waitFor();
  });

  it("shows on the Reports tab the same per-step figures as the API", async () => {
    type Report = {
      entered: number;
      active: number;
      completed: number;
      steps: {
        step_id: string;
        type: string;
        entered: number;
        completed: number;
        waiting: number;
        email?: { sent: number };
        branches?: { yes: number; no: number };
      }[];
    };
    const report = (await apiGet<{ data: Report }>(`/api/automations/${automationId}/report`)).data;
    // Both got the welcome email, waited and were tested; then one went each way.
    const entered = (type: string) =>
      report.steps
        .filter((s) => s.type === type)
        .map((s) => s.entered)
        .sort();
    expect([entered("send_email"), entered("delay"), entered("condition"), entered("add_to_lists")]).toEqual([[1, 2], [2], [2], [1]]);
    await page.goto(`/automations/${automationId}?tab=reports`);
    await page.getByRole("region", { name: "Reports" }).waitFor();
    for (const key of ["entered", "active", "completed"] as const) expect(await shown(page, `summary-${key}`)).toBe(report[key]);
    for (const step of report.steps) {
      expect(await shown(page, `figure-${step.step_id}-entered`), `${step.step_id} entered`).toBe(step.entered);
      expect(await shown(page, `figure-${step.step_id}-completed`), `${step.step_id} completed`).toBe(step.completed);
      if (step.type === "delay") expect(await shown(page, `figure-${step.step_id}-waiting`)).toBe(step.waiting);
      if (step.email) expect(await shown(page, `figure-${step.step_id}-sent`)).toBe(step.email.sent);
      if (step.type === "condition") {
        // ann (pro) took Yes, bob No; the node says so.
        expect(step.branches).toEqual({ yes: 1, no: 1 });
        expect(await shown(page, `figure-${step.step_id}-yes`)).toBe(1);
        expect(await shown(page, `figure-${step.step_id}-no`)).toBe(1);
      }
    }
    // The daily chart draws each series beside the others: none hides another on the same day.
    const bars = await page.locator(".fb-chart rect[data-day]").evaluateAll((rects) =>
      rects.map((r) => {
        const b = r.getBoundingClientRect();
        return {
          series: r.parentElement?.getAttribute("data-series") ?? "",
          day: r.getAttribute("data-day") ?? "",
          left: b.left,
          right: b.right,
        };
      }),
    );
    expect(new Set(bars.map((b) => b.series))).toEqual(new Set(["entered", "completed", "sent"]));
    for (const a of bars)
      for (const b of bars)
        if (a !== b && a.day === b.day)
          expect(a.right <= b.left + 0.5 || b.right <= a.left + 0.5, `${a.series}/${b.series} on ${a.day}`).toBe(true);
    await look(page, "reports");
    await shots(page, "reports");
  });

  it("lists the runs, then edits the live series: leaving does not publish, the Publish dialog with “keep” does", async () => {
    type Versions = { data: unknown[] };
    const versions = async () => (await apiGet<Versions>(`/api/automations/${automationId}/versions`)).data.length;
    await page.getByRole("navigation", { name: "Automation views" }).getByRole("link", { name: "Runs" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("?tab=runs");
    // Each run is listed by its contact's email.
    for (const email of ["ann@example.com", "bob@example.com"])
      await page.getByRole("table").getByRole("link", { name: email, exact: true }).waitFor();
    await look(page, "runs");
    await shots(page, "runs");

    await page.getByRole("navigation", { name: "Automation views" }).getByRole("link", { name: "Builder" }).click();
    const live = (await apiGet<{ data: { version: number; steps: { id: string; type: string }[] } }>(`/api/automations/${automationId}`))
      .data;
    const delay = live.steps.find((s) => s.type === "delay")!.id;
    expect(await versions()).toBe(1);
    await page.getByTestId(`flow-node-${delay}`).click();
    await page.getByTestId("step-panel").getByLabel("Wait", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Publish changes" }).waitFor();

    // Leaving asks; nothing is sent to the server.
    await nav("Contacts");
    const ask = page.getByRole("dialog", { name: "Leave with unpublished changes?" });
    await ask.waitFor();
    await look(page, "leave dialog");
    await shots(page, "leave-dialog");
    await ask.getByRole("button", { name: "Leave, keep my changes" }).click();
    await page.getByRole("heading", { name: "Contacts", exact: true }).waitFor();
    expect(await versions()).toBe(1);
    expect((await apiGet<{ data: { version: number } }>(`/api/automations/${automationId}`)).data.version).toBe(live.version);

    // Back in the builder, the kept edit is offered; publishing it keeps runs on their version.
    await page.goto(`/automations/${automationId}`);
    const offer = page.getByRole("region", { name: "Unpublished changes in this browser" });
    await offer.getByRole("button", { name: "Restore" }).click();
    await page.getByTestId(`flow-node-${delay}`).getByText("Wait 3 days").waitFor();
    await page.getByRole("button", { name: "Publish changes" }).click();
    const publish = page.getByRole("dialog", { name: `Publish version ${live.version + 1}?` });
    await publish.getByRole("radio", { name: /Keep them on the version they entered/ }).check();
    await look(page, "publish dialog");
    await shots(page, "publish-dialog");
    await publish.getByRole("button", { name: "Publish", exact: true }).click();
    await publish.waitFor({ state: "detached" });
    const after = (
      await apiGet<{ data: { version: number; steps: { id: string; amount?: number }[] } }>(`/api/automations/${automationId}`)
    ).data;
    expect(after.version).toBe(live.version + 1);
    expect(after.steps.find((s) => s.id === delay)?.amount).toBe(3);
    expect(await versions()).toBe(2);
  });

  it("pauses, then disables the automation, each after a confirmation", async () => {
    await page.goto(`/automations/${automationId}`);
    for (const [action, status] of [
      ["Pause", "paused"],
      ["Disable", "disabled"],
    ] as const) {
      await page.getByRole("button", { name: action, exact: true }).click();
      await confirm(page, action);
      await expect
        .poll(async () => (await apiGet<{ data: { status: string } }>(`/api/automations/${automationId}`)).data.status)
        .toBe(status);
    }
  });

  it("imports 30 contacts from a CSV file with quoted values (a disabled automation lets none in); the list pages and searches", async () => {
    await nav("Contacts");
    await page.getByRole("link", { name: "Import CSV" }).click();
    await page.getByRole("heading", { name: "Import contacts" }).waitFor();
    await look(page, "import (start)");
    const more = Array.from({ length: 28 }, (_, i) => `guest${String(i + 1).padStart(2, "0")}@example.com,free,\r\n`).join("");
    const csv = `Email,Plan,Notes\r\n"carol@example.com","pro, annual","said ""hi""\nat the fair"\r\ndave@example.com,,\r\n${more}`;
    await page.getByLabel("CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    expect(await page.getByLabel("Import column Email as").inputValue()).toBe("email");
    expect(await page.getByLabel("Import column Plan as").inputValue()).toBe("field:plan");
    expect(await page.getByLabel("Import column Notes as").inputValue()).toBe("skip");
    await page.getByRole("checkbox", { name: "Upgrade prospects" }).check();
    await page.getByRole("button", { name: "Import 30 rows" }).click();
    await page.getByText(/Import finished: 30 created, 0 updated/).waitFor();
    await look(page, "import (finished)");
    await shots(page, "import");

    const carol = await apiGet<{ data: { fields: Record<string, unknown>; list_ids: number[] } }>("/api/contacts/carol%40example.com");
    expect(carol.data.fields).toEqual({ plan: "pro, annual" });
    expect(carol.data.list_ids).toHaveLength(1);
    const report = await apiGet<{ data: { entered: number } }>(`/api/automations/${automationId}/report`);
    expect(report.data.entered).toBe(2);

    // 32 contacts now: the list shows the newest 25, "Load more" the rest.
    await page.getByRole("link", { name: "See the contacts" }).click();
    const rows = page.getByRole("table", { name: "Contacts" }).getByRole("row");
    await expect.poll(() => rows.count()).toBe(1 + 25);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows.count()).toBe(1 + 32);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await page.getByLabel("Search by email").fill("GUEST0");
    await expect.poll(() => rows.count()).toBe(1 + 9);
  });

  it("logs out from the user menu and signs back in", async () => {
    await page.getByRole("group").filter({ hasText: "admin@example.com" }).locator("summary").click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Sign in to Mailwright" }).waitFor();
    await look(page, "login");
    await shots(page, "login");
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Automations" }).waitFor();
  });
});

/** The number an element shows, e.g. 2 from "Entered 2" (numbers are formatted with separators). */
async function shown(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? "";
  const m = /(\d[\d,]*)(?!.*\d)/.exec(text);
  if (!m?.[1]) throw new Error(`${testId} shows no number: ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(",", ""));
}

/** Status changes ask first, in a modal dialog; this answers it with the action's own button. */
async function confirm(page: Page, action: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

/** axe on the page as it is, at the default width, a laptop's (1024 px) and a phone's (390 px). */
async function look(page: Page, name: string): Promise<void> {
  for (const width of [VIEWPORT.width, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : VIEWPORT.height });
    await checkA11y(page, `${name} at ${width} px`);
    // Nothing sticks out sideways (wide tables and the navigation strip scroll inside their own box).
    const out = await page
      .locator("body *")
      .evaluateAll(
        (els, w) =>
          els
            .filter((el) => el.getBoundingClientRect().right > w + 1 && !el.closest(".table-wrap, .app-nav, .react-flow, dialog"))
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
        width,
      );
    expect(out, `${name} at ${width} px: wider than the screen`).toEqual([]);
  }
  await page.setViewportSize(VIEWPORT);
}

/** docs/screenshots/<name>.png at 1440 px and <name>-390.png at 390 px (a phone). */
async function shots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-390.png`) });
  await page.setViewportSize(VIEWPORT);
}
