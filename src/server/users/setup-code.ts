import { randomBytes, createHash, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const LOOPBACK_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.test(host);
}

/**
 * The one-time code the first-run setup asks for when the server listens beyond loopback
 * (as Jenkins' initial admin password): otherwise the first stranger to find the port would
 * become its admin. Kept in `<data dir>/setup-code` (mode 0600) so every process of one
 * installation asks for the same code; printed at start while no user exists. Null on a
 * loopback address, where only this machine can reach the setup page.
 */
export function loadSetupCode(host: string, dataDir: string): { code: string; file: string } | null {
  if (isLoopbackHost(host)) return null;
  const file = path.join(dataDir, "setup-code");
  try {
    return { code: fs.readFileSync(file, "utf8").trim(), file };
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const code = randomBytes(18).toString("base64url");
    try {
      fs.writeFileSync(file, code, { mode: 0o600, flag: "wx" });
      return { code, file };
    } catch {
      return { code: fs.readFileSync(file, "utf8").trim(), file }; // another process created it first
    }
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of a submitted code. */
export function setupCodeMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given.trim()));
}
