import { createHash, randomBytes } from "node:crypto";

/** A new API token: 32 random bytes, prefixed so leaked tokens are easy to grep for. */
export function generateToken(): string {
  return `mw_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
