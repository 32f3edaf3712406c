import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type Mail from "nodemailer/lib/mailer/index.js";

/** One message, ready for the wire: rendered parts and every header we set ourselves. */
export interface Envelope {
  accountId: number;
  /** The `messages` row it delivers. */
  messageRowId: number;
  /** With angle brackets, e.g. `<r1.s1.2@example.com>`. */
  messageId: string;
  from: { address: string; name?: string };
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, each written unfolded on one line. */
  headers: Record<string, string>;
  /** The Date header, epoch ms, from the injected clock (the test clock moves it too). */
  date?: number;
}

export interface SendResult {
  accepted: boolean;
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as …`. */
  response: string;
  /**
   * What the delivery still has to write (the capture transport's outbox row), run in the
   * transaction that commits the message's outcome and only if that commits: capture is
   * then exactly once, as the `sent` status is. Callers without such a transaction run it alone.
   */
  commit?: (db: Kysely<Database>) => Promise<void>;
}

/**
 * The sender's only view of delivery. Implementations throw SendError, classified so the
 * sender decides retry or failure without knowing which transport it talks to.
 */
export interface Transport {
  readonly name: "capture" | "smtp";
  send(envelope: Envelope): Promise<SendResult>;
  close(): Promise<void>;
}

export class SendError extends Error {
  constructor(
    message: string,
    /** transient: retry later (4xx, connection trouble); permanent: fail now (5xx). */
    readonly kind: "transient" | "permanent",
    /** The SMTP reply code, when the server answered. */
    readonly code: number | null,
    /** The server's reply text, or the connection error. */
    readonly response: string,
    /** A 5.1.1-style "no such user": the address should never be mailed again. */
    readonly unknownUser: boolean,
  ) {
    super(message);
  }
}

/** Nodemailer's options for an envelope; both transports compose the same MIME from them. */
export function mailOptions(e: Envelope): Mail.Options {
  return {
    from: e.from.name ? { name: e.from.name, address: e.from.address } : e.from.address,
    to: e.to,
    ...(e.replyTo ? { replyTo: e.replyTo } : {}),
    subject: e.subject,
    ...(e.html ? { html: e.html } : {}),
    text: e.text,
    messageId: e.messageId,
    ...(e.date !== undefined ? { date: new Date(e.date) } : {}),
    // `prepared` writes the value verbatim: nodemailer otherwise folds lines over 76
    // characters, and a folded List-Unsubscribe breaks DKIM downstream. Values are ours
    // (URLs and ids without CR/LF), so writing them raw injects nothing.
    headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, { prepared: true, value: v.replace(/[\r\n]+/g, " ") }])),
    // Nodemailer would otherwise resolve file paths and URLs in content: we never want that.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

const UNKNOWN_USER = /\b5\.1\.1\b|user unknown|unknown user|no such user|does not exist/i;

/** Classifies any error from nodemailer (SMTP reply, connection, timeout) as a SendError. */
export function classifySmtpError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const message = e.message ?? String(err);
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  const response = (e.response ?? message).slice(0, 1000);
  // An authentication failure is the operator's configuration, not the recipient: retrying
  // lets a corrected password deliver everything that waited, within the retry window.
  if (code !== null && code >= 500 && code < 600 && e.code !== "EAUTH") {
    const unknownUser = (code === 550 || code === 551 || code === 553) && UNKNOWN_USER.test(response);
    return new SendError(message, "permanent", code, response, unknownUser);
  }
  return new SendError(message, "transient", code, response, false);
}
