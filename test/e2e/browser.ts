import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import axe from "axe-core";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { expect } from "vitest";
import { webBuildStale } from "../../src/server/app/web-build.ts";
import { freePort } from "../helpers/free-port.ts";

/**
 * Browser end-to-end harness: the built web app, served by a real Mailwright process (SQLite
 * in a temp dir, capture transport, test clock), driven by headless Chromium. One server and
 * one browser per test file.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * Where screenshots land: docs/screenshots/ when MAILWRIGHT_SCREENSHOTS=docs (to refresh the
 * committed ones), a temp folder otherwise, so a test run leaves the checkout as it was.
 */
export const SCREENSHOTS =
  process.env.MAILWRIGHT_SCREENSHOTS === "docs" ? path.join(REPO, "docs/screenshots") : path.join(os.tmpdir(), "mailwright-screenshots");
export const VIEWPORT = { width: 1280, height: 800 };

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** Builds web/dist (vite's JS API) when it is missing or older than any source it is built from (the server's own rule). */
export async function ensureWebBuild(): Promise<void> {
  if (!webBuildStale()) return;
  const { build } = await import("vite");
  await build({ configFile: path.join(REPO, "web/vite.config.ts"), logLevel: "warn" });
}

export interface MailwrightProcess {
  baseUrl: string;
  /** The server's recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** `mailwright start` on a free port with a fresh data dir, the capture transport and the test clock. */
export async function startMailwright(): Promise<MailwrightProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-e2e-"));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO, "bin/mailwright.js"), "start"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MAILWRIGHT_"))),
      MAILWRIGHT_DATA_DIR: dataDir,
      MAILWRIGHT_PORT: String(port),
      MAILWRIGHT_HOST: "127.0.0.1",
      MAILWRIGHT_TEST_CLOCK: "1",
      MAILWRIGHT_LOG_LEVEL: "warn",
    },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mailwright exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mailwright not healthy after 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { baseUrl, output: () => output, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh context (own cookies) at 1280×800 whose relative URLs resolve against the server. */
export async function newPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT });
  const page = await context.newPage();
  return { context, page };
}

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation,
 * naming each rule and the elements. Email previews live in `sandbox=""` iframes, which
 * cannot run axe (no scripts) and hold the user's email, not the app, so frames are skipped.
 */
export async function checkA11y(page: Page, name: string): Promise<void> {
  const present = await page.evaluate(() => "axe" in globalThis);
  // The app's Content-Security-Policy refuses inline <script> tags (addScriptTag), and the
  // check should run against the page as served, so axe is evaluated through the protocol.
  if (!present) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (): Promise<Violation[]> => {
    const runner = (globalThis as unknown as { axe: typeof axe }).axe;
    const result = await runner.run({ iframes: false, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length > 0) {
    const lines = bad.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.slice(0, 5).join("\n    ")}`);
    throw new Error(`accessibility violations on ${name}:\n${lines.join("\n")}`);
  }
}

/** The viewport (1280×800) as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(VIEWPORT);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Calls the API as the browser's signed-in session (its cookies, its CSRF token). */
export type ApiCall = <T>(method: string, path: string, data?: unknown) => Promise<T>;

/** Creates the first admin through the page's own cookie jar; answers a caller of the API as that session. */
export async function setupAdmin(context: BrowserContext, server: MailwrightProcess, email: string): Promise<ApiCall> {
  const setup = await context.request.post("/api/setup", { data: { email, password: "a-long-password" } });
  expect(setup.status(), await setup.text()).toBe(201);
  const csrf = ((await setup.json()) as { data: { csrf_token: string } }).data.csrf_token;
  return async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await context.request.fetch(path, { method, data, headers: { "x-csrf-token": csrf } });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}\n${server.output()}`);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
}
