import { createHash, timingSafeEqual } from "node:crypto";

/** Methods that change nothing and so need no CSRF token. */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Compares the `X-CSRF-Token` header with the session's token in constant time. */
export function csrfMatches(expected: string, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || header === "") return false;
  // Digests have one length, so timingSafeEqual applies and the length leaks nothing either.
  return timingSafeEqual(digest(header), digest(expected));
}
