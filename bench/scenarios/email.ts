import type { Socket } from "node:net";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { loadConfig } from "../../src/server/config.ts";
import { systemClock } from "../../src/server/clock.ts";
import { openStore } from "../../src/server/db/connect.ts";
import { migrate } from "../../src/server/db/migrate.ts";
import { createServices } from "../../src/server/app/services.ts";
import { freshStore } from "../lib/stores.ts";
import type { Metric, Scenario } from "../lib/scenario.ts";

const FULL = 20_000;
const QUICK = 2_000;

/** An SMTP sink in this process: accepts and counts every message, parses nothing. */
async function startSink(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, cb) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        n++;
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // A real relay answers promptly; Nagle on the sink's replies would add a delayed-ACK wait per command.
  server.server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

// A typical marketing email: a <style> block (so juice inlines), merge values, three links.
const TEMPLATE = {
  subject: "Hello {{first_name}}, your {{plan}} plan",
  html: `<html><head><style>p { color: #333; font-family: sans-serif; } .cta { background: #06c; color: #fff; }</style></head>
<body><p>Hi {{first_name}},</p><p>Thanks for choosing the {{plan}} plan.</p>
<p><a class="cta" href="https://example.com/start?u={{email}}">Get started</a> · <a href="https://example.com/docs">Docs</a></p>
<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`,
};

/**
 * Render + delivery throughput: n queued messages (one per contact, as n runs' send_email
 * steps leave them) are rendered (Handlebars, juice, tracking links, headers) and delivered
 * over a pooled SMTP transport to a sink in this process. The sender runs in this process
 * too, on its own fresh database, so the harness's server (idle here) takes no part.
 */
export const emailScenario: Scenario = {
  name: "email",
  description: "messages rendered and delivered per second to a local SMTP sink (pooled connections)",
  async run({ quick, store: harnessStore }): Promise<Metric[]> {
    const n = quick ? QUICK : FULL;
    const sink = await startSink();
    const fresh = await freshStore(harnessStore.kind, harnessStore.databaseUrl);
    const store = openStore(fresh.databaseUrl);
    try {
      await migrate(store);
      const config = loadConfig({
        MAILWRIGHT_DATABASE_URL: fresh.databaseUrl,
        MAILWRIGHT_DATA_DIR: fresh.dataDir,
        MAILWRIGHT_SMTP_URL: sink.url,
        MAILWRIGHT_SMTP_MAX_CONNECTIONS: "10",
        MAILWRIGHT_PUBLIC_URL: "https://mail.example.com",
      });
      const services = createServices(store, config, systemClock, pino({ level: "silent" }));
      const { id: accountId } = await services.accounts.create("bench");
      await store.db
        .insertInto("fields")
        .values([
          { account_id: accountId, name: "First name", merge_tag: "first_name", data_type: "text", created_at: 0, updated_at: 0 },
          { account_id: accountId, name: "Plan", merge_tag: "plan", data_type: "text", created_at: 0, updated_at: 0 },
        ])
        .execute();
      const fields = await store.db.selectFrom("fields").select(["id", "merge_tag"]).where("account_id", "=", accountId).execute();
      const fid = Object.fromEntries(fields.map((f) => [f.merge_tag, f.id]));
      const now = Date.now();
      for (let i = 0; i < n; i += 500) {
        const ids = Array.from({ length: Math.min(500, n - i) }, (_, k) => i + k);
        await store.db
          .insertInto("contacts")
          .values(
            ids.map((j) => ({
              account_id: accountId,
              id: `00000000-0000-4000-8000-${String(j).padStart(12, "0")}`,
              email: `c${j}@bench.example.com`,
              status: "subscribed" as const,
              fields: JSON.stringify({ [fid["first_name"]!]: `Name${j}`, [fid["plan"]!]: j % 2 ? "pro" : "free" }),
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
        await store.db
          .insertInto("messages")
          .values(
            ids.map((j) => ({
              account_id: accountId,
              run_id: j + 1,
              step_id: "welcome",
              automation_id: 1,
              contact_id: `00000000-0000-4000-8000-${String(j).padStart(12, "0")}`,
              to_email: `c${j}@bench.example.com`,
              status: "queued" as const,
              email: JSON.stringify(TEMPLATE),
              context: JSON.stringify({ event: { name: "x", params: {} } }),
              created_at: now,
              sent_at: null,
              opened_at: null,
              clicked_at: null,
              error: null,
              attempts: 0,
              next_attempt_at: now,
              lease_token: null,
              lease_until: null,
              message_id: null,
              smtp_response: null,
              first_attempt_at: null,
              subject: null,
            })),
          )
          .execute();
      }
      const t0 = performance.now();
      await services.sender.drain();
      const seconds = (performance.now() - t0) / 1000;
      await services.sender.stop();
      const sent = await store.db
        .selectFrom("messages")
        .select((eb) => eb.fn.countAll<number | string>().as("c"))
        .where("status", "=", "sent")
        .executeTakeFirstOrThrow();
      // A fast run that lost or doubled mail is not a result.
      if (Number(sent.c) !== n || sink.count() !== n)
        throw new Error(`expected ${n} sent and received, got ${sent.c} sent, ${sink.count()} received`);
      return [
        { name: `deliver ${n}: seconds`, unit: "s", value: seconds, better: "lower" },
        { name: "messages/s", unit: "msg/s", value: n / seconds, better: "higher", target: { op: ">=", value: 1000, stores: ["sqlite"] } },
      ];
    } finally {
      await store.close();
      await fresh.dispose();
      await sink.close();
    }
  },
};
