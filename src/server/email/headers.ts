import type { TrackingLinks } from "./tokens.ts";

/** What a message's identity headers are derived from. */
export interface MessageKey {
  id: number;
  account_id: number;
  run_id: number;
  automation_id: number;
  step_id: string;
}

/**
 * Step ids are free text (up to 64 characters); header atoms allow far less. Letters, digits
 * and '-' stay, every other UTF-8 byte becomes `_hh`, so distinct ids stay distinct.
 */
export function headerAtom(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/**
 * `<r{run}.{step}.{account}@{host}>`: derived from (run, step), the key a message row is
 * unique on, so every retry (and a re-send after a crash) carries the same Message-ID and
 * receivers can deduplicate.
 */
export function messageIdFor(m: Pick<MessageKey, "run_id" | "step_id" | "account_id">, host: string): string {
  return `<r${m.run_id}.${headerAtom(m.step_id)}.${m.account_id}@${host}>`;
}

/**
 * The bulk-sender headers Gmail and Yahoo require. Each value is written as is, on one line
 * (see transport.ts): a folded List-Unsubscribe breaks DKIM at relays that re-fold it.
 */
export function listHeaders(m: MessageKey, host: string, links: TrackingLinks): Record<string, string> {
  return {
    "List-Unsubscribe": `<${links.unsubscribe(m.id)}>, <${links.unsubscribeMailto(m.id)}>`,
    // RFC 8058: a POST to the HTTPS URL unsubscribes at once, no page or confirmation.
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "List-Id": `<automation-${m.automation_id}.${m.account_id}.${host}>`,
    // Gmail's Feedback Loop groups complaints by these fields, most specific first.
    "Feedback-ID": `${headerAtom(m.step_id)}:${m.automation_id}:${m.account_id}:mailwright`,
  };
}
