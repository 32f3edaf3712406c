import type { Browser, Page } from "playwright-core";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MailwrightProcess, checkA11y, ensureWebBuild, launchBrowser, newPage, startMailwright } from "./browser.ts";

/**
 * Issue 14 items 3, 5 and 9 in a real browser: the Runs tab lists runs by email and name,
 * searches, filters and pages, and opens a run's journey; the Reports tab follows the engine
 * after a test-clock jump without a reload; a contact's timeline dates a delay's end when
 * the wait was over, names steps by what they do, and says why an entry was refused.
 */
describe("the run inspector, live reports and the contact timeline, in the browser", () => {
  let server: MailwrightProcess;
  let browser: Browser;
  let page: Page;
  let token = "";
  let automationId = 0;
  let annId = "";
  const GUESTS = 55;

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startMailwright();
    browser = await launchBrowser();
    ({ page } = await newPage(browser, server.baseUrl));
    page.setDefaultTimeout(30_000);
  }, 120_000);

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

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(300);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  it("sets up an account whose 57 contacts are waiting in a one-day delay", async () => {
    await page.goto("/");
    await expect.poll(() => page.url()).toMatch(/\/setup$/);
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await page.getByLabel("Confirm password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await expect.poll(() => page.url()).toMatch(/\/automations$/);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByLabel("Token name").fill("e2e");
    await page.getByRole("button", { name: "Create token" }).click();
    token = await page.getByLabel("New API token").inputValue();

    await call("POST", "/api/contacts/fields", { name: "First name", data_type: "text", merge_tag: "first_name" });
    const created = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "Onboarding",
      trigger: { type: "custom_event", event: "signup" },
      entry_step_id: "s1",
      settings: { reentry_hours: 720 },
      steps: [
        { id: "s1", type: "send_email", email: { subject: "Welcome aboard", html: "<p>Hi</p>" }, next: "s2" },
        { id: "s2", type: "delay", amount: 1, unit: "days", next: "s3" },
        { id: "s3", type: "send_email", email: { subject: "Day two tips", html: "<p>Tips</p>" }, next: null },
      ],
    });
    automationId = created.data.id;
    await call("POST", `/api/automations/${automationId}/activate`);
    const people: [string, Record<string, string>][] = [
      ["ann@example.com", { first_name: "Ann" }],
      ...Array.from({ length: GUESTS }, (_, i): [string, Record<string, string>] => [`guest${String(i).padStart(2, "0")}@example.com`, {}]),
      ["bob@example.com", {}],
    ];
    for (const [email, fields] of people) {
      const c = await call<{ data: { id: string } }>("POST", "/api/contacts", { contact: { email, fields } });
      if (email === "ann@example.com") annId = c.data.id;
      await call("POST", `/api/contacts/${c.data.id}/events`, { name: "signup" });
    }
    await expect
      .poll(
        async () =>
          (
            await call<{ data: { steps: { step_id: string; waiting: number }[] } }>("GET", `/api/automations/${automationId}/report`)
          ).data.steps.find((s) => s.step_id === "s2")?.waiting,
        { timeout: 30_000, interval: 300 },
      )
      .toBe(GUESTS + 2);
  });

  it("lists runs by email and name, searches, filters by step and status, loads more, and opens a run's journey", async () => {
    await page.goto(`/automations/${automationId}?tab=runs`);
    const runs = page.getByRole("region", { name: "Runs" });
    const rows = runs.getByRole("table", { name: "Runs" }).getByRole("row");
    await expect.poll(() => rows.count()).toBe(1 + 50);
    // Newest first: bob entered last. The contact is named by address, never by uuid.
    expect(await rows.nth(1).textContent()).toContain("bob@example.com");
    expect(await runs.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await rows.nth(1).textContent()).toContain("Wait 1 day");
    await runs.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows.count()).toBe(1 + GUESTS + 2);
    expect(await runs.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await checkA11y(page, "runs tab");

    await runs.getByLabel("Search by email").fill("ANN@");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain("Ann");
    await runs.getByLabel("Search by email").fill("");
    await runs.getByLabel("Step").selectOption({ label: "Email “Day two tips”" });
    await runs.getByText("No runs match these filters").waitFor();
    await runs.getByLabel("Step").selectOption({ label: "Wait 1 day" });
    await runs.getByLabel("Status").selectOption({ label: "In progress" });
    await expect.poll(() => rows.count()).toBe(1 + 50);
    await runs.getByLabel("Status").selectOption({ label: "Completed" });
    await runs.getByText("No runs match these filters").waitFor();
    await runs.getByLabel("Status").selectOption({ label: "All" });
    await runs.getByLabel("Step").selectOption({ label: "Any step" });

    await runs.getByLabel("Search by email").fill("ann@");
    await expect.poll(() => rows.count()).toBe(2);
    await runs.getByRole("link", { name: /^Journey of ann@example\.com/ }).click();
    await page.getByRole("heading", { name: "Journey of ann@example.com" }).waitFor();
    const journey = page.getByRole("region", { name: "Journey" });
    await expect.poll(() => journey.getByTestId("journal-s1").textContent()).toContain("Email “Welcome aboard”");
    await expect.poll(() => journey.getByTestId("journal-s1").textContent(), { timeout: 15_000 }).toContain("sent");
    expect(await journey.getByTestId("journal-s2").textContent()).toContain("Wait 1 day — started waiting");
    await checkA11y(page, "run page");
  });

  it("follows the engine on the Reports tab after a test-clock jump, without a reload", async () => {
    await page.goto(`/automations/${automationId}?tab=reports`);
    await page.getByRole("region", { name: "Reports" }).waitFor();
    await expect.poll(() => shown(page, "figure-s3-sent")).toBe(0);
    const loads = { count: 0 };
    page.on("load", () => loads.count++);
    await page.getByRole("button", { name: "+2 days" }).click();
    await expect.poll(() => shown(page, "figure-s3-sent"), { timeout: 30_000, interval: 250 }).toBe(GUESTS + 2);
    await expect.poll(() => shown(page, "summary-completed"), { timeout: 15_000 }).toBe(GUESTS + 2);
    expect(loads.count).toBe(0);
  });

  it("shows on the contact a delay's end when the wait was over, steps by name, and a refused entry in words", async () => {
    await call("POST", `/api/contacts/${annId}/events`, { name: "signup" });
    await expect
      .poll(
        async () =>
          (await call<{ data: { refused: Record<string, number> } }>("GET", `/api/automations/${automationId}/report`)).data.refused[
            "reentry"
          ] ?? 0,
        { timeout: 15_000 },
      )
      .toBe(1);
    await page.goto(`/contacts/${annId}`);
    const activity = page.getByRole("region", { name: "Activity" });
    await activity.getByText("Not entered: already went through this automation in the last 30 days").waitFor();
    const started = activity.getByRole("listitem").filter({ hasText: "Wait 1 day — started waiting" });
    const over = activity.getByRole("listitem").filter({ hasText: "Wait 1 day — wait over" });
    const startedAt = Date.parse((await started.locator("time").getAttribute("datetime")) ?? "");
    const overAt = Date.parse((await over.locator("time").getAttribute("datetime")) ?? "");
    expect(overAt - startedAt).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    await activity.getByText("Email “Day two tips” sent").waitFor();
    // Steps are named by what they do; their ids never show.
    expect(await activity.textContent()).not.toMatch(/\bs[123]\b/);
    await checkA11y(page, "contact detail with refusals");
  });
});

/** The number an element shows, e.g. 2 from "Sent 2". */
async function shown(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? "";
  const m = /(\d[\d,]*)(?!.*\d)/.exec(text);
  if (!m?.[1]) throw new Error(`${testId} shows no number: ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(",", ""));
}
