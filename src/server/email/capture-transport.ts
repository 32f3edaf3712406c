import nodemailer from "nodemailer";
import type { Kysely } from "kysely";
import type { Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { type Envelope, mailOptions, type SendResult, type Transport } from "./transport.ts";
import { insertOutboxMessage } from "./email-repo.ts";

/** The header block of raw MIME as lower-case name → unfolded value (repeats joined by ", "). */
export function parseHeaderBlock(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * The default transport: composes the exact MIME an SMTP relay would get (nodemailer's
 * stream transport, the same composer the smtp transport uses) and keeps it in
 * `outbox_messages` with its parts and headers, written in the transaction that marks the
 * message sent (SendResult.commit): a crash or a lost lease in between captures nothing, and
 * the retry captures it once. Nothing leaves the machine.
 */
export function captureTransport(store: Store, clock: Clock): Transport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "\r\n" });
  return {
    name: "capture",
    async send(e: Envelope): Promise<SendResult> {
      const info = await composer.sendMail(mailOptions(e));
      const raw = (info.message as Buffer).toString("utf8");
      const capturedAt = clock.now();
      const commit = (db: Kysely<Database>) =>
        insertOutboxMessage(db, {
          account_id: e.accountId,
          message_row_id: e.messageRowId,
          message_id: e.messageId,
          from_addr: e.from.address,
          to_addr: e.to,
          subject: e.subject,
          html: e.html,
          text: e.text,
          headers: JSON.stringify(parseHeaderBlock(raw)),
          raw,
          created_at: capturedAt,
        });
      return { accepted: true, response: "250 captured", commit };
    },
    async close(): Promise<void> {
      composer.close();
    },
  };
}
