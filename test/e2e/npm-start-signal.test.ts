import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/free-port.ts";

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function until(test: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await test()) return true;
  return false;
}

describe("npm start under a supervisor", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-npm-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("SIGTERM to the npm process stops the server: the port closes and nothing is left running", async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      MAILWRIGHT_DATA_DIR: dir,
      MAILWRIGHT_LOG_LEVEL: "silent",
      MAILWRIGHT_WEB_BUILD: "0",
      MAILWRIGHT_PORT: String(port),
    };
    // What systemd, Docker or pm2 do: start `npm start`, later signal that process (only it).
    // Its own process group, so whatever a failing run leaves behind can be cleaned up after.
    const npm = spawn("npm", ["start"], { env, stdio: "ignore", detached: true });
    const base = `http://127.0.0.1:${port}`;
    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    try {
      expect(await until(() => healthy(base), 60_000)).toBe(true);
    } finally {
      npm.kill("SIGTERM");
    }
    try {
      expect(await until(async () => !(await healthy(base)), 10_000)).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      try {
        process.kill(-npm.pid!, "SIGKILL");
      } catch {
        // the group is gone: nothing was left running
      }
    }
  }, 90_000);
});
