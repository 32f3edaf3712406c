// The server as the CLI runs it: src/server and src/core bundled by esbuild into plain
// JavaScript under dist/server/, rebuilt when missing or older than any source file. Running
// the bundle instead of the TypeScript through tsx saves tsx's loader thread and
// transpiler (~40 MB of every process's memory) and the per-file transpiling at start;
// dependencies stay in node_modules (not bundled). The code is split at its dynamic
// imports, so a `worker` never loads the HTTP side (Fastify, the routes).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime } from "./newest-mtime.js";

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What the bundle is made from, under the package root. */
const SOURCES = ["src/server", "src/core", "package.json", "bin/server-build.js", "bin/newest-mtime.js"];
/**
 * Older builds are removed once there are more than KEEP besides the current one and they
 * are older than KEEP_MS: a process started from one may still be loading its chunks, and
 * processes starting together on a fresh checkout each build their own.
 */
const KEEP = 2;
const RENDER_WORKER = "src/server/email/render-worker.ts";
const KEEP_MS = 10 * 60_000;

function layout(root) {
  const out = path.join(root, "dist/server");
  // Names the current build's folder; its modification time is when that build started.
  return { root, out, pointer: path.join(out, "current.json") };
}

function currentBuild({ out, pointer }) {
  const stat = fs.statSync(pointer, { throwIfNoEntry: false });
  if (!stat) return null;
  try {
    const { dir } = JSON.parse(fs.readFileSync(pointer, "utf8"));
    const entry = path.join(out, dir, "cli.js");
    return fs.existsSync(entry) ? { entry, builtAt: stat.mtimeMs } : null;
  } catch {
    return null;
  }
}

async function build({ root, out, pointer }, startedAt) {
  const esbuild = await import("esbuild");
  const dir = `${Math.floor(startedAt)}-${process.pid}`;
  await esbuild.build({
    absWorkingDir: root,
    // The render thread's entry, when there is one (render-pool.ts starts it from beside cli.js).
    entryPoints: {
      cli: "src/server/app/cli.ts",
      ...(fs.existsSync(path.join(root, RENDER_WORKER)) ? { "render-worker": RENDER_WORKER } : {}),
    },
    outdir: path.join(out, dir),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    logLevel: "error",
  });
  // Written whole, then renamed: a process starting meanwhile reads the old pointer or the new.
  const tmp = `${pointer}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ dir }));
  fs.utimesSync(tmp, startedAt / 1000, startedAt / 1000);
  fs.renameSync(tmp, pointer);
  const builds = fs
    .readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
  for (const old of builds.filter((b) => b !== dir).slice(KEEP)) {
    if (startedAt - Number.parseInt(old, 10) > KEEP_MS) fs.rmSync(path.join(out, old), { recursive: true, force: true });
  }
  return path.join(out, dir, "cli.js");
}

/**
 * The module to import for the CLI: the bundle (built first if stale), or the TypeScript
 * source through tsx when MAILWRIGHT_SERVER_BUILD=0 or the build fails.
 */
export async function serverEntry(root = PACKAGE_ROOT) {
  const where = layout(root);
  const source = path.join(root, "src/server/app/cli.ts");
  if (process.env.MAILWRIGHT_SERVER_BUILD !== "0") {
    const current = currentBuild(where);
    if (current && SOURCES.every((s) => newestMtime(path.join(root, s)) <= current.builtAt)) return current.entry;
    const startedAt = Date.now();
    try {
      fs.mkdirSync(where.out, { recursive: true });
      return await build(where, startedAt);
    } catch (err) {
      process.stderr.write(
        `mailwright: building dist/server failed, running the TypeScript sources through tsx instead: ${err instanceof Error ? err.message : String(err)}\n`,
      );
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return source;
}
