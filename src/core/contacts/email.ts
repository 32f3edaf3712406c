/** Addresses are compared trimmed and lower-cased: one contact per address per account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Pragmatic RFC 5321 shape: a local part, one @, a dotted domain with a 2+ letter TLD.
const EMAIL_RE =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

/** Returns null when the normalised address is acceptable, else a Rails-style message. */
export function emailProblem(normalized: string): string | null {
  if (normalized === "") return "can't be blank";
  if (normalized.length > 254) return "is too long (maximum is 254 characters)";
  const local = normalized.split("@")[0] ?? "";
  if (local.length > 64 || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "is invalid";
  return EMAIL_RE.test(normalized) ? null : "is invalid";
}

/**
 * A sender or reply-to address: exactly one mailbox as a bare address, on one line. A CR/LF
 * would start another header; a list (`a@x, b@y`), a group (`team: a@x;`) or a display name
 * (`Name <a@x>`) would change the From header and the SMTP envelope sender. Null when fine.
 */
export function mailboxProblem(address: string): string | null {
  if (/[\r\n]/.test(address)) return "must be a single email address on one line";
  if (address !== address.trim() || /[\s,;:<>()"]/.test(address))
    return "must be a single email address (no lists, groups or display names)";
  return emailProblem(address.toLowerCase()) === null ? null : "is not a valid email address";
}
