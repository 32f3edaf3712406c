import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/server/config.ts";
import { systemClock } from "../../src/server/clock.ts";
import { buildApp } from "../../src/server/app/build-app.ts";
import { createServices } from "../../src/server/app/services.ts";
import { freshStore } from "../helpers/with-database.ts";

const SCRIPT = `console.log(${JSON.stringify("app ".repeat(2000))});`;
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';

/** A build as web/vite.config.ts writes it: each text file with its .br and .gz beside it. */
function writeBuild(dir: string): void {
  fs.mkdirSync(path.join(dir, "assets"), { recursive: true });
  for (const [file, body] of [
    ["index.html", INDEX],
    ["assets/app-1a2b3c.js", SCRIPT],
  ] as const) {
    fs.writeFileSync(path.join(dir, file), body);
    fs.writeFileSync(path.join(dir, `${file}.br`), zlib.brotliCompressSync(body));
    fs.writeFileSync(path.join(dir, `${file}.gz`), zlib.gzipSync(body));
  }
}

describe("the web app's files over the wire", () => {
  let dist: string;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  const get = (url: string, encoding?: string) =>
    app.inject({ method: "GET", url, headers: { accept: "*/*", ...(encoding ? { "accept-encoding": encoding } : {}) } });

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "mw-dist-"));
    writeBuild(dist);
    const ts = await freshStore("sqlite");
    const config = loadConfig({
      MAILWRIGHT_DATABASE_URL: ts.url,
      MAILWRIGHT_RATE_LIMIT: "0",
      MAILWRIGHT_DATA_DIR: "/tmp/mw-test-data",
      MAILWRIGHT_SECRET: "test-secret-test-secret-test-secret-0123",
    });
    const services = createServices(ts.store, config, systemClock, pino({ level: "silent" }));
    app = await buildApp({ config, store: ts.store, services, web: { distDir: dist } });
    close = async () => {
      await app.close();
      await services.sender.stop();
      await services.wakeup.close();
      await ts.dispose();
    };
  });
  afterAll(async () => {
    await close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it("sends hashed scripts brotli- or gzip-compressed as the browser accepts, cached for a year as immutable", async () => {
    const br = await get("/assets/app-1a2b3c.js", "gzip, deflate, br");
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["vary"]).toMatch(/accept-encoding/i);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 10);

    const gz = await get("/assets/app-1a2b3c.js", "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await get("/assets/app-1a2b3c.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it("never serves the compressed files under their own names", async () => {
    expect((await get("/assets/app-1a2b3c.js.br", "br")).statusCode).toBe(404);
  });

  it("sends the page compressed too, but revalidated every time (a new build shows at once)", async () => {
    for (const url of ["/", "/automations/7"]) {
      const page = await app.inject({ method: "GET", url, headers: { accept: "text/html", "accept-encoding": "br" } });
      expect(page.statusCode).toBe(200);
      expect(page.headers["cache-control"]).toBe("no-cache");
      expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(page.headers["content-encoding"]).toBe("br");
      expect(zlib.brotliDecompressSync(page.rawPayload).toString()).toBe(INDEX);
    }
  });
});
