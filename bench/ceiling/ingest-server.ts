/**
 * The ingestion ceiling: a bare Fastify 5 app whose one route inserts one row, on the same
 * kind of store Mailwright uses (better-sqlite3 with connect.ts's pragmas, or a pg pool of
 * Mailwright's default size). No auth, no validation, no contact lookup, no trigger event:
 * what this machine, Node, Fastify and the database driver can do at most for the request
 * `POST /api/contacts/{email}/events`. Started by the `ingest` scenario as its own process;
 * CEILING_DATABASE_URL names a fresh database; it answers `{ type: "ready", port }` over IPC.
 */
import { once } from "node:events";
import SQLite from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";

const url = process.env.CEILING_DATABASE_URL ?? "";
const POOL_SIZE = 10;

// Shaped like contact_events, with its index, so one insert costs what that table's insert costs.
const TABLE = (id: string, big: string) => `create table if not exists ceiling_events (
  ${id}, account_id ${big} not null, contact_id text not null, name text not null, params text not null, created_at ${big} not null)`;
const INDEX = "create index if not exists ceiling_events_contact_idx on ceiling_events (account_id, contact_id, name, created_at)";

async function openInsert(): Promise<{ insert(contact: string, name: string, params: string): Promise<void>; close(): Promise<void> }> {
  if (url.startsWith("postgres")) {
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    await pool.query(TABLE("id bigserial primary key", "bigint"));
    await pool.query(INDEX);
    return {
      insert: async (contact, name, params) =>
        void (await pool.query(
          "insert into ceiling_events (account_id, contact_id, name, params, created_at) values ($1, $2, $3, $4, $5)",
          [1, contact, name, params, Date.now()],
        )),
      close: () => pool.end(),
    };
  }
  const db = new SQLite(url.slice("sqlite:".length));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(TABLE("id integer primary key autoincrement", "integer"));
  db.exec(INDEX);
  const stmt = db.prepare("insert into ceiling_events (account_id, contact_id, name, params, created_at) values (?, ?, ?, ?, ?)");
  return {
    insert: async (contact, name, params) => void stmt.run(1, contact, name, params, Date.now()),
    close: async () => void db.close(),
  };
}

const store = await openInsert();
const app = Fastify({ logger: false });
app.post<{ Params: { email: string }; Body: { name: string; params?: Record<string, unknown> } }>(
  "/api/contacts/:email/events",
  async (req, reply) => {
    const params = req.body.params ?? {};
    await store.insert(req.params.email, req.body.name, JSON.stringify(params));
    return reply.code(201).send({ contact_email: req.params.email, name: req.body.name, params });
  },
);
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
process.send?.({ type: "ready", port: typeof address === "object" && address ? address.port : 0 });

await once(process, "SIGTERM");
await app.close();
await store.close();
// The IPC channel would keep the process alive.
process.disconnect?.();
