import nodemailer from "nodemailer";
import { classifySmtpError, type Envelope, mailOptions, type SendResult, type Transport } from "./transport.ts";

export interface SmtpOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; query options such as `?tls.rejectUnauthorized=false` pass to nodemailer. */
  url: string;
  maxConnections: number;
  /** Messages per second; 0 = unlimited. */
  rate: number;
}

/**
 * A pooled nodemailer SMTP transport. Pooling keeps connections open across messages
 * (one TLS handshake per connection, not per message); the pool size bounds connections,
 * the sender's concurrency bounds messages in flight. Timeouts are far below the sender's
 * lease, so a hung relay cannot outlive the lease and let a second worker send again.
 */
export function smtpTransport(opts: SmtpOptions): Transport {
  const pool = nodemailer.createTransport({
    url: opts.url,
    pool: true,
    maxConnections: opts.maxConnections,
    maxMessages: 1000,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    ...(opts.rate > 0 ? { rateDelta: 1000, rateLimit: opts.rate } : {}),
  });
  return {
    name: "smtp",
    async send(e: Envelope): Promise<SendResult> {
      try {
        const info = await pool.sendMail(mailOptions(e));
        const accepted = info.accepted.length > 0 && info.rejected.length === 0;
        return { accepted, response: info.response };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async close(): Promise<void> {
      pool.close();
    },
  };
}
