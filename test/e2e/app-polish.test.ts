import type { APIRequestContext, Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiCall, ensureWebBuild, launchBrowser, type MailwrightProcess, newPage, startMailwright, setupAdmin } from "./browser.ts";

/**
 * The app's frame, in Chromium: no console warnings or failed requests on any page (the
 * favicon, the router), a header that fits a phone, a canvas the side panel does not cover
 * on a laptop, and a test clock that takes minutes, hours or days.
 */
describe("the app frame at every width", () => {
  let server: MailwrightProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let request: APIRequestContext;
  let automationId = 0;
  const problems: string[] = [];

  let call: ApiCall;

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startMailwright();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, server.baseUrl));
    page.setDefaultTimeout(20_000);
    request = context.request;
    page.on("console", (m) => {
      // React's development build invites the reader to install its DevTools; not a problem.
      if ((m.type() === "warning" || m.type() === "error") && !m.text().includes("React DevTools"))
        problems.push(`${m.type()}: ${m.text()} (${page.url()})`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    call = await setupAdmin(context, server, "frame@example.com");
    const created = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "Frame",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "delay", amount: 1, unit: "days", next: "s2" },
        { id: "s2", type: "delay", amount: 2, unit: "days", next: null },
      ],
      settings: { reentry_hours: 24 },
    });
    automationId = created.data.id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows every page without a console warning or error, favicon included", async () => {
    for (const path of [
      "/",
      "/automations",
      `/automations/${automationId}`,
      "/contacts",
      "/lists",
      "/fields",
      "/templates",
      "/outbox",
      "/settings",
    ]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).or(page.getByLabel("Automation name")).first().waitFor();
      await page.waitForTimeout(300);
    }
    const icon = await page.locator("link[rel=icon]").getAttribute("href");
    expect(icon).toBeTruthy();
    expect((await request.get(icon!)).status()).toBe(200);
    expect(problems).toEqual([]);
  });

  it("fits the header on a 390 px phone: nothing overlaps and nothing scrolls sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/automations");
    await page.getByRole("heading", { name: "Automations" }).waitFor();
    const boxes = await page.locator(".app-header > *").evaluateAll((els) =>
      els.map((el) => {
        const b = el.getBoundingClientRect();
        return { name: el.className, left: b.left, right: b.right, top: b.top, bottom: b.bottom };
      }),
    );
    expect(boxes.length).toBeGreaterThanOrEqual(3);
    for (const a of boxes) {
      expect(a.right, `${a.name} inside the screen`).toBeLessThanOrEqual(390);
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
      }
    }
    const wide = await page
      .locator("body *")
      .evaluateAll((els) =>
        els
          .filter((el) => el.getBoundingClientRect().right > 391 && !el.closest(".table-wrap, .app-nav"))
          .map((el) => `${el.tagName}.${el.className}`),
      );
    expect(wide).toEqual([]);
    expect(await page.locator("html").evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("keeps the canvas beside the side panel at 1024 px, the drawing in view", async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`/automations/${automationId}`);
    await page.getByTestId("flow-node-s1").click();
    const panel = (await page.getByTestId("step-panel").boundingBox())!;
    const canvas = (await page.getByRole("region", { name: "Automation builder canvas" }).boundingBox())!;
    expect(canvas.x + canvas.width, "the panel does not cover the canvas").toBeLessThanOrEqual(panel.x + 0.5);
    expect(canvas.width).toBeGreaterThanOrEqual(450);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1024);
    // Every node is inside the canvas once the panel has opened (the drawing moved with it).
    await page.waitForTimeout(200);
    for (const id of ["flow-node-trigger", "flow-node-s1", "flow-node-s2"]) {
      const node = (await page.getByTestId(id).boundingBox())!;
      expect(node.x, `${id} left edge`).toBeGreaterThanOrEqual(canvas.x);
      expect(node.x + node.width, `${id} right edge`).toBeLessThanOrEqual(canvas.x + canvas.width);
    }
  });

  it("advances the test clock by an amount in minutes, hours or days", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/automations");
    const before = Date.parse((await call<{ data: { now: string } }>("GET", "/api/test-clock")).data.now);
    const clock = page.getByRole("region", { name: "Test clock" });
    await clock.getByLabel("Amount to advance the test clock").fill("3");
    await clock.getByLabel("Unit").selectOption("hours");
    await clock.getByRole("button", { name: "Advance" }).click();
    await expect
      .poll(async () => Date.parse((await call<{ data: { now: string } }>("GET", "/api/test-clock")).data.now) - before)
      .toBeGreaterThanOrEqual(3 * 3600_000);
    const moved = Date.parse((await call<{ data: { now: string } }>("GET", "/api/test-clock")).data.now) - before;
    expect(moved).toBeLessThan(3 * 3600_000 + 60_000);
  });
});
