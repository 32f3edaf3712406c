import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { createRequire } from "node:module";
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

/** `vite build` of the web app as a command: the node running this, Vite's own bin. */
export function viteBuildCommand(root = PACKAGE_ROOT): { command: string; args: string[] } {
  const require = createRequire(path.join(root, "package.json"));
  const vitePackage = require.resolve("vite/package.json");
  const bin = (JSON.parse(fs.readFileSync(vitePackage, "utf8")) as { bin: { vite: string } }).bin.vite;
  return {
    command: process.execPath,
    args: [path.join(path.dirname(vitePackage), bin), "build", "--config", path.join(root, "web/vite.config.ts"), "--logLevel", "warn"],
  };
}

/**
 * Builds the web app with Vite when it is stale, so `npm start` on a fresh checkout serves
 * it. Runs in the CLI before the server starts, never in `buildApp` (tests must not build).
 * The build runs in a child process: Vite, Rolldown and the React plugin loaded into the
 * server would stay in its heap for the process's life (~240 MB of the ~390 MB RSS measured
 * after a start that built; docs/benchmarks.md). A failed build is logged and the server
 * starts anyway: the API works, pages say to build.
 */
export async function ensureWebBuild(log: FastifyBaseLogger): Promise<void> {
  if (!fs.existsSync(path.join(PACKAGE_ROOT, "web/src")) || !webBuildStale()) return;
  log.info("building the web app (web/dist is missing or older than its sources)");
  try {
    const { command, args } = viteBuildCommand();
    const child = spawn(command, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "inherit", "inherit"] });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) log.error({ code }, "web app build failed; run `npm run build` to see why");
  } catch (err) {
    log.error({ err }, "web app build failed; run `npm run build` to see why");
  }
}
