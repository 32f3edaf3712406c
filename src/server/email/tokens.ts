import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** What a tracking or unsubscribe token says: which message, which action, and for a click, where to. */
export type TokenPayload = { m: number; k: "o" } | { m: number; k: "u" } | { m: number; k: "c"; u: string };

/**
 * HMAC-SHA256 signed tokens (`payload.signature`, base64url). A click token carries its
 * destination inside the signed payload, so it can only ever redirect to the URL that was
 * in that message; any change to payload or signature makes it worthless.
 */
export function signToken(secret: string, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  const sig = createHmac("sha256", secret).update(body).digest("base64url");
  return `${body}.${sig}`;
}

export function verifyToken(secret: string, token: string): TokenPayload | null {
  if (token.length > 8192) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = createHmac("sha256", secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<{ m: unknown; k: unknown; u: unknown }>;
    if (typeof p.m !== "number" || !Number.isSafeInteger(p.m) || p.m < 1) return null;
    if (p.k === "o" || p.k === "u") return { m: p.m, k: p.k };
    if (p.k === "c" && typeof p.u === "string" && /^https?:\/\//i.test(p.u)) return { m: p.m, k: "c", u: p.u };
    return null;
  } catch {
    return null;
  }
}

/** MAILWRIGHT_SECRET, or one created once in the data directory (mode 0600) and kept. */
export function loadSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, "secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process created it first
    }
  }
}

/** The public URLs a rendered message links to. */
export interface TrackingLinks {
  open(messageId: number): string;
  click(messageId: number, url: string): string;
  unsubscribe(messageId: number): string;
  /** For List-Unsubscribe beside the HTTPS URL. */
  unsubscribeMailto(messageId: number): string;
}

export function trackingLinks(secret: string, publicUrl: string): TrackingLinks {
  const host = new URL(publicUrl).hostname;
  return {
    open: (m) => `${publicUrl}/t/o/${signToken(secret, { m, k: "o" })}`,
    click: (m, u) => `${publicUrl}/t/c/${signToken(secret, { m, k: "c", u })}`,
    unsubscribe: (m) => `${publicUrl}/u/${signToken(secret, { m, k: "u" })}`,
    unsubscribeMailto: (m) => `mailto:unsubscribe@${host}?subject=unsubscribe%20${signToken(secret, { m, k: "u" })}`,
  };
}
