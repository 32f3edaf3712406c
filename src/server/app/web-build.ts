import fs from "node:fs";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { PACKAGE_ROOT, WEB_DIST } from "../package-root.ts";
import { newestMtime } from "../../../bin/newest-mtime.js";

/** What the web build is made from: the app, its page and config, and the pure core it imports. */
const SOURCES = ["web/src", "web/index.html", "web/vite.config.ts", "src/core"].map((p) => path.join(PACKAGE_ROOT, p));

/** True when the build (its index.html) is missing or older than any file it is built from. */
export function webBuildStale(distDir = WEB_DIST, sources: readonly string[] = SOURCES): boolean {
  const built = newestMtime(path.join(distDir, "index.html"));
  return built === 0 || sources.some((s) => newestMtime(s) > built);
}

/**
 * Builds the web app with Vite when it is stale, so `npm start` on a fresh checkout serves
 * it. Runs in the CLI before the server starts, never in `buildApp` (tests must not build).
 * A failed build is logged and the server starts anyway: the API works, pages say to build.
 */
export async function ensureWebBuild(log: FastifyBaseLogger): Promise<void> {
  if (!fs.existsSync(path.join(PACKAGE_ROOT, "web/src")) || !webBuildStale()) return;
  log.info("building the web app (web/dist is missing or older than its sources)");
  try {
    const vite = await import("vite");
    await vite.build({ configFile: path.join(PACKAGE_ROOT, "web/vite.config.ts"), logLevel: "warn" });
  } catch (err) {
    log.error({ err }, "web app build failed; run `npm run build` to see why");
  }
}
