import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/free-port.ts";

const run = promisify(execFile);
const BIN = path.resolve("bin/mailwright.js");

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not become healthy");
}

describe("the mailwright command", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-cli-"));
  // No web build at start: it would outlast the health wait on a fresh checkout (no web/dist).
  const env = { ...process.env, MAILWRIGHT_DATA_DIR: dir, MAILWRIGHT_LOG_LEVEL: "silent", MAILWRIGHT_WEB_BUILD: "0" };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates accounts and tokens that the server then accepts; shuts down cleanly on SIGTERM", async () => {
    const { stdout: accountOut } = await run("node", [BIN, "accounts", "create", "--name", "Acme"], { env });
    const accountId = Number(accountOut.trim());
    expect(accountId).toBeGreaterThan(0);
    const { stdout: tokenOut } = await run("node", [BIN, "tokens", "create", "--account", String(accountId)], { env });
    const token = tokenOut.trim();
    expect(token).toMatch(/^mw_[A-Za-z0-9_-]{43}$/);

    const port = await freePort();
    const child = spawn("node", [BIN, "start", "--port", String(port)], { env, stdio: "ignore" });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(base, child);
      // The README's quickstart: create a contact, read it back.
      const created = await fetch(`${base}/api/contacts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ contact: { email: "john.smith@example.com" } }),
      });
      expect(created.status).toBe(201);
      const read = await fetch(`${base}/api/accounts/${accountId}/contacts/john.smith%40example.com`, { headers: { "api-token": token } });
      expect(((await read.json()) as { data: { email: string } }).data.email).toBe("john.smith@example.com");
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(code).toBe(0);
  });

  it("ensures account 1 with MAILWRIGHT_BOOTSTRAP_TOKEN", async () => {
    const port = await freePort();
    const token = "bootstrap-token-for-tests-0001";
    const child = spawn("node", [BIN, "server", "--port", String(port)], {
      env: { ...env, MAILWRIGHT_BOOTSTRAP_TOKEN: token },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(base, child);
      const res = await fetch(`${base}/api/accounts/1/contacts/lists`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    await new Promise((resolve) => child.once("exit", resolve));
  });

  it("refuses a bad configuration with a message naming each variable", async () => {
    const err = await run("node", [BIN, "start"], {
      env: { ...env, MAILWRIGHT_PORT: "99999", MAILWRIGHT_DATABASE_URL: "mysql://x" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/MAILWRIGHT_PORT[\s\S]*MAILWRIGHT_DATABASE_URL/);
  });
});
