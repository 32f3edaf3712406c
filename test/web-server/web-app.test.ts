import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/server/config.ts";
import { systemClock } from "../../src/server/clock.ts";
import { buildApp } from "../../src/server/app/build-app.ts";
import { createServices, type Services } from "../../src/server/app/services.ts";
import { freshStore, type TestStore } from "../helpers/with-database.ts";

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/** The server's app over a throwaway database, serving the web app from `distDir`. */
async function appServing(distDir: string): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const ts: TestStore = await freshStore("sqlite");
  const config = loadConfig({
    MAILWRIGHT_DATABASE_URL: ts.url,
    MAILWRIGHT_RATE_LIMIT: "0",
    MAILWRIGHT_DATA_DIR: "/tmp/mw-test-data",
    MAILWRIGHT_SECRET: "test-secret-test-secret-test-secret-0123",
  });
  const services: Services = createServices(ts.store, config, systemClock, pino({ level: "silent" }));
  const app = await buildApp({ config, store: ts.store, services, web: { distDir } });
  return {
    app,
    async close() {
      await app.close();
      await services.sender.stop();
      await services.wakeup.close();
      await ts.dispose();
    },
  };
}

function expectHtmlSecurityHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers["content-security-policy"]);
  for (const directive of [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "frame-src 'self' about:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
}

describe("serving the built web app", () => {
  let dist: string;
  let served: Awaited<ReturnType<typeof appServing>>;
  const get = (url: string, accept = BROWSER) => served.app.inject({ method: "GET", url, headers: { accept } });

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "mw-dist-"));
    fs.mkdirSync(path.join(dist, "assets"));
    fs.writeFileSync(path.join(dist, "index.html"), INDEX);
    fs.writeFileSync(path.join(dist, "assets/app-1a2b3c.js"), "console.log('app')");
    fs.writeFileSync(path.join(dist, ".env"), "SECRET=1");
    served = await appServing(dist);
  });
  afterAll(async () => {
    await served.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it("serves index.html at / with the security headers, and the hashed assets cached for good", async () => {
    for (const accept of [BROWSER, "*/*"]) {
      const home = await get("/", accept);
      expect(home.statusCode).toBe(200);
      expect(home.headers["content-type"]).toMatch(/^text\/html/);
      expect(home.body).toBe(INDEX);
      expectHtmlSecurityHeaders(home.headers);
      expect(home.headers["cache-control"]).toBe("no-cache");
    }
    const script = await get("/assets/app-1a2b3c.js", "*/*");
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toMatch(/javascript/);
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers every page navigation of the app with index.html (history fallback)", async () => {
    for (const url of [
      "/setup",
      "/login",
      "/automations",
      "/automations/12?tab=reports",
      "/contacts/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      "/contacts/import",
      "/templates/3",
      "/outbox",
      "/settings",
      "/unknown/page",
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expectHtmlSecurityHeaders(res.headers);
    }
    const head = await served.app.inject({ method: "HEAD", url: "/automations", headers: { accept: BROWSER } });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-type"]).toMatch(/^text\/html/);
  });

  it("keeps the JSON 404 for unknown API paths, missing files and other methods; never serves dotfiles", async () => {
    const notFound = { error: "Not Found" };
    for (const url of ["/api/unknown", "/api/accounts/1/nothing/here", "/api", "/t/nothing", "/u", "/healthz/x", "/metrics/x"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"], url).toMatch(/^application\/json/);
      expect(res.json(), url).toEqual(notFound);
    }
    expect((await get("/assets/missing-123.js", "*/*")).json()).toEqual(notFound);
    expect((await get("/.env", "*/*")).json()).toEqual(notFound);
    expect((await get("/.env")).body).not.toContain("SECRET");
    expect((await get("/automations", "application/json")).json()).toEqual(notFound);
    const post = await served.app.inject({
      method: "POST",
      url: "/automations",
      headers: { accept: BROWSER, "content-type": "application/json" },
      payload: "{}",
    });
    expect(post.json()).toEqual(notFound);
    // The API itself is unchanged underneath.
    expect((await get("/api/automations")).json()).toEqual({ error: "Incorrect API token" });
    expect((await get("/healthz")).json()).toEqual({ status: "ok" });
  });
});

describe("without a build", () => {
  it("answers pages with a short HTML note to run npm run build, never a 500", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mw-nodist-"));
    const served = await appServing(path.join(empty, "dist"));
    try {
      for (const url of ["/", "/automations"]) {
        const res = await served.app.inject({ method: "GET", url, headers: { accept: BROWSER } });
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^text\/html/);
        expect(res.body).toContain("npm run build");
        expectHtmlSecurityHeaders(res.headers);
      }
      expect((await served.app.inject({ method: "GET", url: "/api/unknown", headers: { accept: BROWSER } })).json()).toEqual({
        error: "Not Found",
      });
    } finally {
      await served.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
