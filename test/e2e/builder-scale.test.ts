import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step } from "../../src/core/flow/schema.ts";
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
import { waitForAutosave } from "./builder-steps.ts";

/**
 * The builder with a 100-step automation, in Chromium against a real server. It asserts
 * behaviour only (every step drawn, the view pans and zooms, an edit is autosaved); the
 * timings are printed for docs/benchmarks.md, never asserted, since this machine is shared.
 */

const STEPS = 100;

/** s1…s100: actions and delays in a chain, a condition every 20 steps whose Yes branch holds one step and rejoins. */
function hundredSteps(templateId: number, listId: number, tag: string): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i <= STEPS; i++) {
    const id = `s${i}`;
    const next = i < STEPS ? `s${i + 1}` : null;
    if (i % 20 === 10) {
      steps.push({
        id,
        type: "condition",
        match: "all",
        rules: [{ kind: "field", field: tag, op: "eq", value: "pro" }],
        yes: `s${i + 1}`,
        no: `s${i + 2}`,
      });
      continue;
    }
    const kinds: Step[] = [
      { id, type: "remove_from_lists", list_ids: [listId], next },
      { id, type: "send_email", email: { template_id: templateId }, next },
      { id, type: "delay", amount: 1, unit: "days", next },
      { id, type: "update_field", field: tag, value: "pro", next },
      { id, type: "add_to_lists", list_ids: [listId], next },
    ];
    steps.push(kinds[i % 5]!);
  }
  return steps;
}

interface Frames {
  count: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

interface Recorder {
  frames: number[];
  on: boolean;
}
type PageGlobals = { __frames?: Recorder; requestAnimationFrame(callback: (t: number) => void): number };

/**
 * Records the interval between animation frames while `action` runs: the cost of a frame.
 * (Functions, not strings, are evaluated: the app's Content-Security-Policy forbids eval.)
 */
async function frameCost(page: Page, action: () => Promise<void>): Promise<Frames> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const rec: Recorder = { frames: [], on: true };
    g.__frames = rec;
    const loop = (last: number): void =>
      void g.requestAnimationFrame((t) => {
        if (!rec.on) return;
        rec.frames.push(t - last);
        loop(t);
      });
    loop(performance.now());
  });
  await action();
  const frames = await page.evaluate(() => {
    const rec = (globalThis as unknown as PageGlobals).__frames!;
    rec.on = false;
    return rec.frames;
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: frames.length,
    meanMs: round(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)),
    p95Ms: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

async function viewportTransform(page: Page): Promise<string> {
  return (await page.locator(".react-flow__viewport").first().getAttribute("style")) ?? "";
}

describe("the builder with a 100-step automation", () => {
  let server: MailwrightProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let automationId = 0;

  let call: ApiCall;

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startMailwright();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, server.baseUrl));
    call = await setupAdmin(context, server, "scale@example.com");
    const template = await call<{ id: number }>("POST", "/api/email_templates", {
      email_template: { name: "Scale", subject: "Hi", category: "test", body_text: "Hello {{email}}" },
    });
    const list = await call<{ id: number }>("POST", "/api/contacts/lists", { name: "Scale list" });
    await call("POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" });
    const created = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "One hundred steps",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: hundredSteps(template.id, list.id, "plan"),
      settings: { reentry_hours: 24 },
    });
    automationId = created.data.id;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("draws all 100 steps, pans, zooms, and autosaves an edit of one step", async () => {
    await page.goto(`/automations/${automationId}`);
    // Timed inside the page, frame by frame; performance.now() counts from the navigation's start.
    const firstRenderMs = Math.round(
      await page.evaluate(
        (count) =>
          new Promise<number>((resolve) => {
            const g = globalThis as unknown as PageGlobals & { document: { querySelectorAll(s: string): { length: number } } };
            const check = () =>
              g.document.querySelectorAll(".react-flow__node-step").length >= count
                ? resolve(performance.now())
                : g.requestAnimationFrame(check);
            check();
          }),
        STEPS,
      ),
    );
    const dataMs = Math.round(
      await page.evaluate(
        (id) =>
          (performance.getEntriesByType("resource") as unknown as { name: string; responseEnd: number }[]).find((e) =>
            e.name.endsWith(`/api/automations/${id}`),
          )?.responseEnd ?? 0,
        automationId,
      ),
    );
    const drawn = await page
      .locator("[data-testid^='flow-node-s']")
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-testid")));
    expect(new Set(drawn)).toEqual(new Set(Array.from({ length: STEPS }, (_, i) => `flow-node-s${i + 1}`)));
    await checkA11y(page, "the builder with 100 steps");

    // Select a step, then edit it in the side panel; both timed from the event to the next frame painted.
    const selectMs = await page.getByTestId("flow-node-s2").evaluate(
      (node) =>
        new Promise<number>((resolve) => {
          const g = globalThis as unknown as PageGlobals & { document: { querySelector(s: string): unknown } };
          const start = performance.now();
          (node as unknown as { click(): void }).click();
          const check = () =>
            g.document.querySelector("[data-testid='step-panel'] input[type='number']")
              ? g.requestAnimationFrame(() => resolve(performance.now() - start))
              : g.requestAnimationFrame(check);
          check();
        }),
    );
    const panel = page.getByTestId("step-panel");
    await panel.getByLabel("Wait", { exact: true }).waitFor();
    const typed = performance.now();
    await panel.getByLabel("Wait", { exact: true }).fill("5");
    await page.getByTestId("flow-node-s2").getByText("Wait 5 days").waitFor();
    const editRedrawMs = Math.round(performance.now() - typed);
    await waitForAutosave(page);
    const editSavedMs = Math.round(performance.now() - typed);
    const saved = await call<{ data: { steps: Step[] } }>("GET", `/api/automations/${automationId}`);
    expect(saved.data.steps.find((s) => s.id === "s2")).toMatchObject({ type: "delay", amount: 5, unit: "days" });
    expect(saved.data.steps).toHaveLength(STEPS);

    // Pan by dragging the empty canvas, then zoom with the mouse wheel.
    const pane = (await page.locator(".react-flow__pane").boundingBox())!;
    const start = { x: pane.x + pane.width * 0.12, y: pane.y + pane.height * 0.6 };
    const beforePan = await viewportTransform(page);
    const pan = await frameCost(page, async () => {
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      await page.mouse.move(start.x + 150, start.y - 350, { steps: 40 });
      await page.mouse.up();
    });
    const afterPan = await viewportTransform(page);
    expect(afterPan).not.toBe(beforePan);
    const zoom = await frameCost(page, async () => {
      await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
      for (let i = 0; i < 12; i++) {
        await page.mouse.wheel(0, i < 6 ? 120 : -60);
        await page.waitForTimeout(16);
      }
    });
    expect(await viewportTransform(page)).not.toBe(afterPan);

    console.log(
      `[builder-scale] ${STEPS} steps: all nodes drawn ${firstRenderMs} ms after navigation start (automation data in at ${dataMs} ms); ` +
        `select → panel painted ${Math.round(selectMs)} ms; edit → node redrawn ${editRedrawMs} ms and autosaved ${editSavedMs} ms (Playwright round trips and the 600 ms debounce included); ` +
        `pan frames ${JSON.stringify(pan)}; zoom frames ${JSON.stringify(zoom)}`,
    );
  }, 240_000);
  it("adds a step with the keyboard alone: Tab to the +, Enter, arrows, Enter", async () => {
    const draft = await call<{ data: { id: number } }>("POST", "/api/automations", {
      name: "Keyboard",
      trigger: { type: "contact_created" },
      entry_step_id: null,
      steps: [],
      settings: {},
    });
    await page.goto(`/automations/${draft.data.id}`);
    await page.locator(".react-flow__node-trigger").focus();
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }
        ).document.activeElement.getAttribute("aria-label"),
      ),
    ).toBe("Add step after trigger");
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Add step after trigger" });
    await menu.waitFor();
    expect(await menu.getByRole("menuitem").allTextContents()).toEqual([
      "✉Send email",
      "✎Update field",
      "⊕Add to lists",
      "⊖Remove from lists",
      "⊘Unsubscribe",
      "◷Delay",
      "◇Condition",
    ]);
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await page.keyboard.press("Enter");
    await menu.waitFor();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByTestId("panel-title").getByText("Delay · s1").waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("3");
    await page.getByTestId("flow-node-s1").getByText("Wait 3 days").waitFor();
    await waitForAutosave(page);
    const saved = await call<{ data: { entry_step_id: string; steps: Step[] } }>("GET", `/api/automations/${draft.data.id}`);
    expect(saved.data.entry_step_id).toBe("s1");
    expect(saved.data.steps).toEqual([{ id: "s1", type: "delay", amount: 3, unit: "days", next: null }]);
  }, 120_000);

  it("draws every step's figures on the report canvas as the API reports them", async () => {
    await call("POST", `/api/automations/${automationId}/activate`);
    for (const [i, plan] of ["pro", "free", "pro"].entries())
      await call("POST", "/api/contacts", { contact: { email: `c${i}@example.com`, fields: { plan } } });
    type Figures = {
      data: {
        entered: number;
        steps: { step_id: string; type: string; entered: number; completed: number; waiting: number; email?: { sent: number } }[];
      };
    };
    // The engine works in the background: wait until the three runs all wait in delay `stepId`.
    let report: Figures["data"] | undefined;
    const allWaitingAt = async (stepId: string): Promise<void> => {
      for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
        report = (await call<Figures>("GET", `/api/automations/${automationId}/report`)).data;
        // …and the sender has sent every email queued so far (it too works in the background).
        const sentAll = report.steps.every((st) => !st.email || st.email.sent === st.entered);
        if (report.entered === 3 && report.steps.find((st) => st.step_id === stepId)?.waiting === 3 && sentAll) return;
        await page.waitForTimeout(100);
      }
      expect(report?.steps.find((st) => st.step_id === stepId)?.waiting).toBe(3);
    };
    // Every run must be in the first delay before the clock moves, or a late one enters after it.
    await allWaitingAt("s2");
    await call("POST", "/api/test-clock/advance", { seconds: 6 * 86_400 });
    await allWaitingAt("s7");

    await page.goto(`/automations/${automationId}?tab=reports`);
    await page.getByTestId("summary-entered").getByText("3").waitFor();
    const shown = new Map(
      (await page
        .locator("[data-testid^='figure-s']")
        .evaluateAll((items) => items.map((i) => [i.getAttribute("data-testid"), i.textContent]))) as [string, string][],
    );
    for (const st of report!.steps) {
      expect(shown.get(`figure-${st.step_id}-entered`)).toBe(`Entered ${st.entered}`);
      expect(shown.get(`figure-${st.step_id}-completed`)).toBe(`Completed ${st.completed}`);
      if (st.type === "delay") expect(shown.get(`figure-${st.step_id}-waiting`)).toBe(`Waiting ${st.waiting}`);
      if (st.email) expect(shown.get(`figure-${st.step_id}-sent`)).toBe(`Sent ${st.email.sent}`);
    }
    expect(shown.get("figure-s1-sent")).toBe("Sent 3");
    expect(shown.get("figure-s2-completed")).toBe("Completed 3");
    await checkA11y(page, "the report of 100 steps");
  }, 120_000);
});
