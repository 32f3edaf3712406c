import { errors } from "../errors.ts";

/**
 * Opaque page cursors over id-ordered lists (newest first): the last id of a page, base64url.
 * Ids only grow, so a page never shifts when new rows arrive.
 */
export function encodeIdCursor(id: number): string {
  return Buffer.from(String(id), "utf8").toString("base64url");
}

/** The id a cursor names, or a 422 naming `cursor`. */
export function decodeIdCursor(cursor: string): number {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  const n = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw errors.validation({ cursor: ["is invalid"] });
  return n;
}
