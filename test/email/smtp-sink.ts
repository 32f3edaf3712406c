import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { type ParsedMail, simpleParser } from "mailparser";

/** What the sink answers to the next message: accept, a reply code, or drop the connection mid-DATA. */
export type Reply = "ok" | { code: number; message: string; at?: "rcpt" | "data" } | "drop";

export interface Received {
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

export interface SmtpSink {
  url: string;
  received: Received[];
  /** Replies for the next messages, in order; once used up every message is accepted. */
  plan: Reply[];
  /** Every message the server saw start (accepted or not). */
  attempts: number;
  /** Runs (and is awaited) at each RCPT before the reply: something that happens while a message is in flight. */
  onRcpt?: (() => Promise<unknown>) | undefined;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** A real SMTP server (smtp-server) on 127.0.0.1 with a random port, no TLS, no auth. */
export async function startSink(opts: { parse?: boolean } = {}): Promise<SmtpSink> {
  const parse = opts.parse ?? true;
  const sink: SmtpSink = { url: "", received: [], plan: [], attempts: 0, close: async () => undefined };
  // The reply chosen for each session's current message, decided at RCPT so DATA can use it.
  const current = new Map<string, Reply>();
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 50 * 1024 * 1024,
    onRcptTo(_address, session, cb) {
      sink.attempts++;
      const reply = sink.plan.shift() ?? "ok";
      current.set(session.id, reply);
      const answer = () => (typeof reply === "object" && reply.at === "rcpt" ? cb(smtpError(reply.code, reply.message)) : cb());
      if (!sink.onRcpt) return answer();
      sink.onRcpt().then(answer, (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb) {
      const reply = current.get(session.id) ?? "ok";
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on("data", (c: Buffer) => {
        chunks.push(c);
        if (reply === "drop" && !dropped) {
          dropped = true;
          // The connection dies halfway through the message, as with a crashed relay.
          for (const conn of server.connections) if (conn.id === session.id) conn._socket.destroy();
        }
      });
      stream.on("end", async () => {
        if (reply === "drop") return;
        if (typeof reply === "object") return cb(smtpError(reply.code, reply.message));
        const raw = Buffer.concat(chunks).toString("utf8");
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (parse) sink.received.push({ raw, parsed: await simpleParser(raw), to });
        else sink.received.push({ raw: "", parsed: undefined as unknown as ParsedMail, to });
        cb(null, "2.0.0 Ok: queued");
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
