import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";
import { withStatementCache } from "./statement-cache.ts";
import { preparingPool, STALE_PLAN } from "./pg-prepared.ts";
import type { DialectName } from "./dialect.ts";
import { dialectOfUrl } from "./dialect-of.ts";

export type { DialectName } from "./dialect.ts";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds and ids: well inside 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Opens the store named by a database URL (`sqlite:<file>` or `postgres://…`). */
export interface StoreOptions {
  poolSize?: number;
  /** Called after each query with its SQL and duration (profiling). */
  onQuery?: (sql: string, ms: number) => void;
}

export function openStore(url: string, opts: StoreOptions = {}): Store {
  const log = opts.onQuery ? (e: LogEvent) => opts.onQuery!(e.query.sql, e.queryDurationMillis) : undefined;
  if (dialectOfUrl(url).name === "postgres") {
    // Custom plans always: see prepareRepeatedStatements.
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, options: "-c plan_cache_mode=force_custom_plan" });
    // A client losing its connection (server restart) must not crash the process: the pool
    // handles idle ones; one checked out between queries would emit an unheard 'error'.
    // Its next query fails instead (a transient error, retried), and the pool drops it.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }), ...(log ? { log } : {}) });
    return { db, dialect: "postgres", close: () => db.destroy() };
  }
  const file = url.slice("sqlite:".length);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }), ...(log ? { log } : {}) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

/** True when the error is a unique-constraint violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** PostgreSQL gave up on a transaction that collided with another (serialization, deadlock): try it again. */
export function isConflict(err: unknown): boolean {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === "40001" || code === "40P01";
}

/**
 * True for failures that say nothing about the work itself: the database went away, is
 * restarting, or chose this transaction as a deadlock or serialization victim. Such work
 * is retried later (leases expire), never marked failed.
 */
export function isTransientDbError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = String((err as { code?: unknown }).code ?? "");
  if (/^(08|57P|53)/.test(code) || isConflict(err)) return true;
  if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "SQLITE_BUSY", "SQLITE_LOCKED"].includes(code)) return true;
  const message = String((err as { message?: unknown }).message ?? "");
  if (message.includes(STALE_PLAN)) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i.test(
    message,
  );
}
