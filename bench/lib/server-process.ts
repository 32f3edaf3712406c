import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { freePort } from "../../test/helpers/free-port.ts";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FreshStore } from "./stores.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BOOT_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** A Mailwright server in its own process: nothing warmed up or cached by an earlier run. */
export interface ServerProcess {
  baseUrl: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Extra node flags for the child, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeArgs?: string[];
  /** `start` (default: HTTP + worker), or `worker` (engine and jobs only, no HTTP). */
  role?: "start" | "worker";
  /** Extra MAILWRIGHT_* settings for this child, e.g. { MAILWRIGHT_TEST_CLOCK: "1" }. */
  env?: Record<string, string>;
}

/**
 * Starts `mailwright start` (HTTP + worker roles, as operators run it) against `store`, or
 * `mailwright worker`. A worker has no /healthz: it is ready when it logs "mailwright started".
 */
export async function startServer(store: FreshStore, opts: ServerOptions = {}): Promise<ServerProcess> {
  const role = opts.role ?? "start";
  const port = await freePort();
  const token = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(REPO, "bin/mailwright.js"), role], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      // PATH and friends only; no MAILWRIGHT_* from the caller's shell leaks into a run.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MAILWRIGHT_"))),
      MAILWRIGHT_DATABASE_URL: store.databaseUrl,
      MAILWRIGHT_DATA_DIR: store.dataDir,
      MAILWRIGHT_PORT: String(port),
      MAILWRIGHT_HOST: "127.0.0.1",
      MAILWRIGHT_BOOTSTRAP_TOKEN: token,
      // The benchmark polls every 20 ms; the limiter would measure itself, not the import.
      MAILWRIGHT_RATE_LIMIT: "0",
      // The benchmark measures the server, not a build of the web app it does not use.
      MAILWRIGHT_WEB_BUILD: "0",
      // A worker's readiness is its "started" info line; `start` answers /healthz instead.
      MAILWRIGHT_LOG_LEVEL: role === "worker" ? "info" : "warn",
      ...opts.env,
    },
  });
  // Kept so a failed boot or a crash mid-run can say why.
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    if (role === "worker") await waitForOutput("mailwright started", child, () => output);
    else await waitForHealth(baseUrl, child, () => output);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    baseUrl,
    token,
    pid: child.pid ?? -1,
    stop: () => stopChild(child, () => output),
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server not healthy after ${BOOT_TIMEOUT_MS} ms:\n${output()}`);
}

async function waitForOutput(text: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (output().includes(text)) return;
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode} before it started:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`worker not started after ${BOOT_TIMEOUT_MS} ms:\n${output()}`);
}

/** SIGTERM, as an operator would stop it, so --cpu-prof profiles are written on exit. */
export async function stopChild(child: ChildProcess, output: () => string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`child ${child.pid} stopped with code ${code} signal ${signal}:\n${output()}`);
}
